// Package version says which Elasticsearch release has which part of the security API surface that
// esapikeytest serves: the releases it imitates (8.4.0 to 9.3.x), and one table that records, for every
// route, request field, URL parameter, role-descriptor field, answer field, rule and message that
// changed in that span, from which release (and until which) it holds, what a release outside that
// span answers instead, and the evidence. Handlers ask the table, as in
// v.Has(version.UpdateExpiration), instead of comparing version numbers themselves.
package version

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Version is an Elasticsearch release such as 8.13.2. Versions compare with == and are ordered by
// Compare; the zero Version is no release at all.
type Version struct {
	Major, Minor, Patch int
}

// Range names the releases this package describes, for messages.
const Range = "8.4.0 to 9.3.x"

// minors are the minor lines from 8.4 to 9.3, oldest first: the releases of Range are these with any
// patch number. 8.x ended at 8.19, released after 9.0.
var minors = []Version{
	{8, 4, 0}, {8, 5, 0}, {8, 6, 0}, {8, 7, 0}, {8, 8, 0}, {8, 9, 0}, {8, 10, 0}, {8, 11, 0},
	{8, 12, 0}, {8, 13, 0}, {8, 14, 0}, {8, 15, 0}, {8, 16, 0}, {8, 17, 0}, {8, 18, 0}, {8, 19, 0},
	{9, 0, 0}, {9, 1, 0}, {9, 2, 0}, {9, 3, 0},
}

// Oldest is the first release described.
var Oldest = minors[0]

// Newest is the first release of the newest minor line described; every patch of it is described too.
var Newest = minors[len(minors)-1]

// ErrUnsupported is matched (errors.Is) by the error of Check for a well-formed release outside Range.
var ErrUnsupported = errors.New("unsupported Elasticsearch release")

// ErrMalformed is matched by the error of Parse and Check for text that is not major.minor.patch.
var ErrMalformed = errors.New("malformed Elasticsearch release")

// Parse reads a release written as Elasticsearch's version.number writes it: three decimal numbers
// separated by dots, such as "8.13.2", with no qualifier ("-SNAPSHOT") and no leading zeros.
func Parse(s string) (Version, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("%w %q: want major.minor.patch, such as %q", ErrMalformed, s, "8.13.0")
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p != strconv.Itoa(v) {
			return Version{}, fmt.Errorf("%w %q: want major.minor.patch, such as %q", ErrMalformed, s, "8.13.0")
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

// Check parses s and requires a release of Range. Its errors name the supported releases.
func Check(s string) (Version, error) {
	v, err := Parse(s)
	if err != nil {
		return Version{}, fmt.Errorf("%w; the supported releases are %s", err, Range)
	}
	if !v.Supported() {
		return Version{}, fmt.Errorf("%w %s; the supported releases are %s", ErrUnsupported, v, Range)
	}
	return v, nil
}

// MustCheck is Check for versions written in the program itself; it panics on an error.
func MustCheck(s string) Version {
	v, err := Check(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Supported reports whether v is a release of Range: a minor line from 8.4 to 9.3, any patch.
func (v Version) Supported() bool {
	for _, m := range minors {
		if m.Major == v.Major && m.Minor == v.Minor {
			return true
		}
	}
	return false
}

// String writes v as Elasticsearch's version.number does: "8.13.2".
func (v Version) String() string {
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) + "." + strconv.Itoa(v.Patch)
}

// IsZero reports whether v is the zero Version.
func (v Version) IsZero() bool { return v == Version{} }

// Compare returns -1, 0 or +1 as v is older than, the same as, or newer than w.
func (v Version) Compare(w Version) int {
	for _, d := range [3]int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch} {
		switch {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
	}
	return 0
}

// Before reports whether v is older than w.
func (v Version) Before(w Version) bool { return v.Compare(w) < 0 }

// AtLeast reports whether v is w or newer.
func (v Version) AtLeast(w Version) bool { return v.Compare(w) >= 0 }

// previousMinor is the minor line released before the one of v (8.19 before 9.0), or the zero
// Version before Oldest.
func (v Version) previousMinor() Version {
	for i, m := range minors {
		if m.Major == v.Major && m.Minor == v.Minor && i > 0 {
			return minors[i-1]
		}
	}
	return Version{}
}
