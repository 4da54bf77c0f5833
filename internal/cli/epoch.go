package cli

import "time"

// outputTime is the time outputs record: SOURCE_DATE_EPOCH (seconds since
// 1970, as the reproducible-builds spec defines it) when set, else now, as
// attest's buildTimes reads it (a malformed value is a usage error).
func (a *app) outputTime() (time.Time, error) {
	t, _, err := buildTimes(a)
	return t[0], err
}
