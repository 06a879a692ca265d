"""The oversight app's writes: incidents (`incidents`), a data subject's export (`pdp`), and the
unusual-access alert (`unusual_access`)."""
