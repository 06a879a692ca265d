"""Leaders' directions with acknowledgement; SOPs and video tutorials, and who completed them."""
