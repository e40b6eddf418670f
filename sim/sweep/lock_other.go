//go:build !unix

package sweep

import "os"

// lock is a no-op where advisory locks are not available: do not run the
// same sweep folder twice at once there.
func lock(*os.File) error { return nil }
