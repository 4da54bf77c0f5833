package cli

import (
	"strconv"
	"time"
)

// outputTime is the time outputs record: SOURCE_DATE_EPOCH (seconds since
// 1970, as the reproducible-builds spec defines it) when set, else now. A
// malformed value is a usage error rather than silently ignored.
func (a *app) outputTime() (time.Time, error) {
	v := a.getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return a.now().UTC(), nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}, usageError("SOURCE_DATE_EPOCH: want a non-negative number of seconds since 1970, got %q", v)
	}
	return time.Unix(secs, 0).UTC(), nil
}
