"""Story invites, stories, their consent and the panel's selection."""
