assert True  # all good
