from . import test_extract, test_sync
