"""The search box in the navigation: families and members of the user's teams."""
