"""Demo data for `make run` and the tests: a council's bodies, members, meetings and projects, made with Faker."""
