pytest_plugins = ["sfms_shared.testing.fixtures"]
