"""Throwaway local PostgreSQL clusters and the demo workload, shared by --demo and the tests."""
