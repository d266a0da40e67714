"""Pure rules and value objects. Takes `now` as an argument; never imports telegram."""
