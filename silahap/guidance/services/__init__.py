"""Every write of guidance: directions, the SOP library, tutorials and their progress."""
