"""Foundation of SafeGrid: tenants, the org tree, users, roles, scoping and audit."""
