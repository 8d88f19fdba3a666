"""The coach's agenda: planned appointments, turning one into a contact, the calendar feed."""
