"""Geography: boundaries from registrations, coherence measures, geography rules. No Qt."""
