"""Risk pages: the register, a risk's page, its analysis forms, what-if and hazard fields."""
