package query

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
)

func (a *agg) runRanges(docs []*Doc, c *aggRun) (Object, *Error) {
	if err := c.consume(len(a.ranges)); err != nil {
		return nil, err
	}
	ranges := slices.Clone(a.ranges)
	lo := func(r rangeSpec) float64 { return map[bool]float64{true: r.lo, false: math.Inf(-1)}[r.hasLo] }
	hi := func(r rangeSpec) float64 { return map[bool]float64{true: r.hi, false: math.Inf(1)}[r.hasHi] }
	// RangeAggregator sorts its ranges by from, then to.
	slices.SortStableFunc(ranges, func(x, y rangeSpec) int {
		if c := cmpFloat(lo(x), lo(y)); c != 0 {
			return c
		}
		return cmpFloat(hi(x), hi(y))
	})
	keyedBuckets := Object{}
	list := []Object{}
	for _, r := range ranges {
		var in []*Doc
		for _, d := range docs {
			if x, ok := a.f.num(d); ok && float64(x) >= lo(r) && float64(x) < hi(r) {
				in = append(in, d)
			}
		}
		key := r.key
		fromS, toS := "*", "*"
		fields := Object{}
		if r.hasLo {
			fromS = a.formatBound(r.lo)
			fields = append(fields, KV{"from", javaDouble(r.lo)}, KV{"from_as_string", fromS})
		}
		if r.hasHi {
			toS = a.formatBound(r.hi)
			fields = append(fields, KV{"to", javaDouble(r.hi)}, KV{"to_as_string", toS})
		}
		if key == "" {
			key = fromS + "-" + toS
		}
		fields = append(fields, KV{"doc_count", len(in)})
		if !a.keyed {
			fields = append(Object{{"key", key}}, fields...)
		}
		b, err := a.bucket(fields, in, c)
		if err != nil {
			return nil, err
		}
		if a.keyed {
			keyedBuckets = append(keyedBuckets, KV{key, b})
		} else {
			list = append(list, b)
		}
	}
	if a.keyed {
		return Object{{"buckets", keyedBuckets}}, nil
	}
	return Object{{"buckets", list}}, nil
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// formatBound renders a range bound in the aggregation's format, or the field's (epoch_millis).
func (a *agg) formatBound(x float64) string {
	ms := int64(x)
	if a.f.kind == boolean {
		return asString(a.f, ms)
	}
	if a.format == "" || a.format == "epoch_millis" {
		return formatMillis(ms)
	}
	return formatJava(a.format, ms)
}

// javaDouble writes a double as Java's Double.toString does (0.0, 5.5, 1.7E12), as range bounds appear.
func javaDouble(x float64) json.Number { return json.Number(javaNumber(x, 64)) }

// javaNumber writes a double (bits 64) or a float (bits 32) as Java's toString does: the shortest
// digits that read back to the value, with ".0" when whole, and an exponent below 10^-3 or from 10^7.
func javaNumber(x float64, bits int) string {
	if a := math.Abs(x); a != 0 && (a < 1e-3 || a >= 1e7) {
		mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'E', -1, bits), "E")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		e, _ := strconv.Atoi(exp)
		return mant + "E" + strconv.Itoa(e)
	}
	s := strconv.FormatFloat(x, 'f', -1, bits)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
