package cli

import (
	"strconv"
	"time"
)

// maxSourceDateEpoch is 9999-12-31T23:59:59Z, the last second RFC 3339
// timestamps can write.
const maxSourceDateEpoch = 253402300799

// sourceDateEpoch reads SOURCE_DATE_EPOCH, the time reproducible outputs
// record (seconds since 1970, as the reproducible-builds spec defines it);
// set is false when the variable is unset or empty. A value that is not an
// integer from 0 to maxSourceDateEpoch is a usage error.
//
// pspf record reads the variable by flavor's rules instead
// (pspf.CheckSourceDateEpoch, pspf.ParseEpoch: negative and fractional
// values too), since the record it prints must be what flavor writes.
func (a *app) sourceDateEpoch() (t time.Time, set bool, err error) {
	s := a.getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Time{}, false, nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec < 0 || sec > maxSourceDateEpoch {
		return time.Time{}, false, usageError("SOURCE_DATE_EPOCH=%q: want seconds since 1970 (an integer)", s)
	}
	return time.Unix(sec, 0).UTC(), true, nil
}

// outputTime is the time outputs record: SOURCE_DATE_EPOCH when set, else
// now.
func (a *app) outputTime() (time.Time, error) {
	t, set, err := a.sourceDateEpoch()
	if err == nil && !set {
		t = a.now()
	}
	return t, err
}
