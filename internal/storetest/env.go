package storetest

import "os"

// lookupEnv reads the test cluster's URL. Test helpers may read the
// environment; library code never does.
func lookupEnv(key string) string { return os.Getenv(key) }
