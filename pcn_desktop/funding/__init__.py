"""Funding by contract year: policy tables, payments and the Additional Roles scheme. No Qt."""
