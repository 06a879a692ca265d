"""Plausible foreigners' names for the benchmark, in the mix Indonesia's registry holds.

Deterministic for a seed. Names are drawn from per-culture pools of given names and surnames
(and, for Chinese, Korean and Vietnamese names, from syllables), so that a million of them
share trigrams the way real names do: many "Wang", "Kim" and "Nguyễn", a few exact repeats.
"""

from __future__ import annotations

import random
from collections.abc import Callable

CHINESE_SURNAMES = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng "
    "Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang Cai Du Ye "
    "Cheng Wei Su Lu Ding Ren Shen Yao Shi Fan Fang Bai Zou Xiong Jin Qin Qiu Hou Dai Xue Duan "
    "Lei Hao Kong Gu Mao Qian Tan Yin Lai Wan Chang Kang Tao Long Mo Yi Jia Gong Niu Xing Zang"
).split()
CHINESE_SYLLABLES = (
    "wei fang min jie jing li qiang lei jun yang yong yan tao ming chao xiu ying hua ping gang "
    "hui xia bo hong lan na mei fei qing zhen jian guo hao yu xin kai rui zi han chen hao lin "
    "long peng fei bin cheng dong feng hai jia kun liang ning shan tian wen xiang xue yi yuan "
    "zhi zhong an bao chun de fu gui heng jin kang le meng qi shu song ting wu xiao yun ze"
).split()
KOREAN_SURNAMES = (
    "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong "
    "Jeon Ko Moon Yang Son Bae Baek Heo Nam Noh"
).split()
KOREAN_SYLLABLES = (
    "min jun seo yeon ji hoon woo hyun soo young jae eun ha yun sung dong hye kyung jin ho "
    "sang chul mi na ra bin tae won joon hee sook gyu"
).split()
JAPANESE_SURNAMES = (
    "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
    "Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda "
    "Hashimoto Ishikawa Ogawa Okada Goto Hasegawa Murakami Kondo Ishii Saito Sakamoto Endo "
    "Aoki Fujii Nishimura Fukuda Ota Miura Fujiwara Okamoto Matsuda Nakagawa"
).split()
JAPANESE_GIVEN = (
    "Hiroshi Takashi Akira Kenji Satoshi Makoto Daisuke Yuki Kazuki Shota Haruto Sota Ren "
    "Yuto Takumi Kenta Ryota Naoki Yusuke Keisuke Yoko Keiko Yuko Tomoko Akiko Naoko Yumi "
    "Ayaka Misaki Haruka Sakura Yui Aoi Hina Rin Mei Nanami Kaori Emi Mai"
).split()
VIETNAMESE_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"
).split()
VIETNAMESE_MIDDLE = "Văn Thị Đức Minh Hữu Thanh Ngọc Quang Xuân Hoàng".split()
VIETNAMESE_GIVEN = (
    "An Anh Bảo Bình Chi Cường Dũng Duy Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Khoa Lan "
    "Linh Long Mai Nam Nga Nhung Phong Phúc Phương Quân Sơn Tâm Thảo Thắng Thành Trang Trung "
    "Tuấn Tùng Vân Việt Vy Yến"
).split()
WESTERN_GIVEN = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry "
    "Tyler Aaron Henry Adam Peter Nathan Zachary Kyle Noah Ethan Jeremy Christian Keith Roger "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Amy Angela Helen Anna Brenda Pamela Nicole Emma "
    "Samantha Katherine Christine Rachel Catherine Olivia Chloe Sophie Charlotte Lucy Grace "
    "Hannah Jan Pieter Daan Sem Lucas Thijs Bram Lars Sanne Femke Lotte Maximilian Felix Jonas "
    "Lukas Leon Paul Finn Jürgen Klaus Uwe Stefan Katrin Jürgen Sören Björn Jérôme Hélène "
    "Amélie Élodie François Benoît Céline Chloé Mathéo Léa Zoé Pierre Nicolas Julien Camille "
    "Manon José María Jesús Álvaro Sofía Lucía Martín Andrés Raúl Inés"
).split()
WESTERN_SURNAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris "
    "Clark Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green "
    "Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Phillips Evans Turner "
    "Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Peterson Cooper Reed "
    "Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes "
    "Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher "
    "O'Brien O'Connor McDonald MacLeod Fitzgerald de Vries van Dijk Bakker Janssen Visser "
    "Smit Meijer de Boer Mulder de Groot Bos Vos Peters Hendriks van Leeuwen Dekker Müller "
    "Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
    "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Werner Krause Lehmann Köhler Martin Bernard Dubois Thomas Robert Richard Petit "
    "Durand Leroy Moreau Simon Laurent Lefèvre Michel Garnier Faure Rousseau Blanc Guérin "
    "Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Fernández González Rodríguez Sánchez Pérez Martín Gómez Ruiz Díaz "
    "Álvarez Jiménez Moreno Muñoz Romero Navarro Gutiérrez Torres Domínguez Vázquez Ramos "
    "Gil Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz "
    "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen"
).split()
RUSSIAN_GIVEN = (
    "Aleksandr Sergey Dmitry Andrey Aleksey Maksim Evgeny Ivan Mikhail Artem Nikolay Igor "
    "Vladimir Denis Pavel Roman Oleg Anton Yury Kirill Elena Olga Natalia Tatiana Irina "
    "Svetlana Anna Maria Ekaterina Yulia Anastasia Marina Daria Ksenia Polina Viktoria"
).split()
RUSSIAN_SURNAMES = (
    "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov "
    "Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov "
    "Andreev Makarov Nikitin Zakharov Zaitsev Soloviev Borisov Yakovlev Grigoriev Romanov "
    "Vorobiev Sergeev Kuzmin Frolov Aleksandrov Dmitriev Korolev Gusev Kiselev Ilyin Maksimov "
    "Polyakov Sorokin Vinogradov Kovalev Belov Medvedev Antonov Tarasov Zhukov Baranov"
).split()
INDIAN_GIVEN = (
    "Aarav Vivaan Aditya Vihaan Arjun Sai Reyansh Krishna Ishaan Shaurya Rahul Rohit Amit "
    "Sanjay Vijay Rajesh Suresh Ramesh Anil Sunil Deepak Manoj Ajay Vikram Ravi Arun Karthik "
    "Priya Ananya Diya Aadhya Saanvi Pooja Neha Anjali Kavya Sneha Divya Lakshmi Meera Sunita "
    "Geeta Rekha Asha Nisha Shreya Aishwarya"
).split()
INDIAN_SURNAMES = (
    "Sharma Verma Gupta Singh Kumar Patel Shah Mehta Reddy Rao Nair Menon Iyer Iyengar Pillai "
    "Das Bose Chatterjee Banerjee Mukherjee Ghosh Sen Dutta Joshi Kulkarni Deshpande Patil "
    "Jain Agarwal Bansal Malhotra Kapoor Khanna Chopra Bhatia Sethi Arora Saxena Mishra "
    "Pandey Tiwari Dubey Yadav Chauhan Rathore Thakur Naidu Krishnan Subramaniam"
).split()
ARABIC_GIVEN = (
    "Mohammed Ahmed Ali Omar Abdullah Khalid Hassan Hussein Ibrahim Yousef Saeed Faisal "
    "Sultan Nasser Tariq Hamza Bilal Mustafa Ziad Karim Fatima Aisha Maryam Noor Layla Huda "
    "Amal Rania Salma Yasmin"
).split()
ARABIC_SURNAMES = (
    "Al Harbi|Al Otaibi|Al Qahtani|Al Ghamdi|Al Zahrani|Al Dosari|Al Shehri|Al Mutairi|"
    "Al Anazi|Al Shammari|Al Rashid|Al Farsi|Al Balushi|Al Hashimi|Haddad|Khoury|Nasser|"
    "Saleh|Mansour|Aziz|Hamdan|Abbas|Suleiman|Qasim|Ismail|Yassin|Darwish|Barakat|Khalil|Najjar"
).split("|")
FILIPINO_GIVEN = (
    "Jose Juan Mark John Michael Christian Jerome Ronald Romeo Rodel Maria Ana Kristine "
    "Marites Rowena Jocelyn Lorna Rosalie Analyn Marivic Jonalyn Aileen Cherry Joy"
).split()
FILIPINO_SURNAMES = (
    "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo Flores "
    "Villanueva Ramos Castro Rivera Aquino Navarro Salazar Mercado Dimaculangan Macaraeg"
).split()
MALAY_GIVEN = (
    "Ahmad Muhammad Mohd Azman Faizal Hafiz Hakim Iskandar Kamal Nizam Rizal Syafiq Zulkifli "
    "Nurul Siti Aminah Farah Hidayah Aisyah Zainab Nor Liyana"
).split()
MALAY_FATHERS = (
    "Abdullah Ismail Hassan Ibrahim Yusof Osman Rahman Hamid Aziz Razak Salleh Jamal Ahmad"
).split()
THAI_GIVEN = (
    "Somchai Somsak Anan Prasert Wichai Niran Suda Malee Siriporn Ratana Nong Kanya".split()
)
THAI_SURNAMES = (
    "Saetang Srisuk Chaiyaporn Wongsawat Rattanakorn Thongdee Sukprasert Boonmee "
    "Kittisak Phromma Chanthavong Suwannarat Jaidee Meesuk Prasertsri"
).split()


def _pick(rng: random.Random, pool: list[str]) -> str:
    return pool[rng.randrange(len(pool))]


def _syllables(rng: random.Random, pool: list[str], count: int) -> str:
    return "".join(_pick(rng, pool) for _ in range(count)).capitalize()


def chinese(rng: random.Random) -> str:
    given = _syllables(rng, CHINESE_SYLLABLES, 1 if rng.random() < 0.35 else 2)
    return f"{_pick(rng, CHINESE_SURNAMES)} {given}"


def korean(rng: random.Random) -> str:
    return f"{_pick(rng, KOREAN_SURNAMES)} {_syllables(rng, KOREAN_SYLLABLES, 2)}"


def japanese(rng: random.Random) -> str:
    return f"{_pick(rng, JAPANESE_SURNAMES)} {_pick(rng, JAPANESE_GIVEN)}"


def vietnamese(rng: random.Random) -> str:
    middle = _pick(rng, VIETNAMESE_MIDDLE)
    return f"{_pick(rng, VIETNAMESE_SURNAMES)} {middle} {_pick(rng, VIETNAMESE_GIVEN)}"


def western(rng: random.Random) -> str:
    given = _pick(rng, WESTERN_GIVEN)
    if rng.random() < 0.3:
        given = f"{given} {_pick(rng, WESTERN_GIVEN)}"
    return f"{given} {_pick(rng, WESTERN_SURNAMES)}"


def russian(rng: random.Random) -> str:
    return f"{_pick(rng, RUSSIAN_GIVEN)} {_pick(rng, RUSSIAN_SURNAMES)}"


def indian(rng: random.Random) -> str:
    return f"{_pick(rng, INDIAN_GIVEN)} {_pick(rng, INDIAN_SURNAMES)}"


def arabic(rng: random.Random) -> str:
    return f"{_pick(rng, ARABIC_GIVEN)} {_pick(rng, ARABIC_GIVEN)} {_pick(rng, ARABIC_SURNAMES)}"


def filipino(rng: random.Random) -> str:
    return f"{_pick(rng, FILIPINO_GIVEN)} {_pick(rng, FILIPINO_SURNAMES)}"


def malay(rng: random.Random) -> str:
    link = "bin" if rng.random() < 0.6 else "binti"
    return f"{_pick(rng, MALAY_GIVEN)} {link} {_pick(rng, MALAY_FATHERS)}"


def thai(rng: random.Random) -> str:
    return f"{_pick(rng, THAI_GIVEN)} {_pick(rng, THAI_SURNAMES)}"


# Nationality, its share of the registry, and how its names are made.
MIX: list[tuple[str, float, Callable[[random.Random], str]]] = [
    ("CN", 0.30, chinese),
    ("KR", 0.07, korean),
    ("JP", 0.06, japanese),
    ("VN", 0.04, vietnamese),
    ("IN", 0.06, indian),
    ("RU", 0.06, russian),
    ("AU", 0.07, western),
    ("US", 0.05, western),
    ("GB", 0.04, western),
    ("NL", 0.03, western),
    ("DE", 0.03, western),
    ("FR", 0.03, western),
    ("ES", 0.01, western),
    ("SA", 0.03, arabic),
    ("MY", 0.05, malay),
    ("PH", 0.04, filipino),
    ("TH", 0.03, thai),
]
NATIONALITIES = [code for code, _share, _make in MIX]
SHARES = [share for _code, share, _make in MIX]
MAKERS = {code: make for code, _share, make in MIX}


def person_name(rng: random.Random) -> tuple[str, str]:
    """A nationality and a full name in that nationality's style."""
    nationality = rng.choices(NATIONALITIES, SHARES)[0]
    return nationality, MAKERS[nationality](rng)
