"""The family portal: accounts by invitation, the family's own narrow door (/gezin/...)."""
