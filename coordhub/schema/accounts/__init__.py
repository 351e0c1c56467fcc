"""Accounts: who is calling (``viewer``) and the roles."""
