package esapikey

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written encoder must write what json.Marshal writes, byte for
// byte, and fail where it fails. These tests fill every field of every
// request type by reflection, so a field added to a type without being
// added to the encoder makes them fail.

// sameAsJSON checks one value against json.Marshal.
func sameAsJSON(t *testing.T, v any) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	got, gotErr := marshalBody(v)
	if wantErr != nil {
		require.Error(t, gotErr, "json.Marshal fails with %v", wantErr)
		assert.Equal(t, wantErr.Error(), gotErr.Error())
		return
	}
	require.NoError(t, gotErr)
	require.Equal(t, string(want), string(got))
}

func TestMarshalBodyMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		for _, v := range []any{new(UpdateAPIKeyRequest), new(BulkUpdateAPIKeysRequest), new(UpdateCrossClusterAPIKeyRequest)} {
			fill(r, reflect.ValueOf(v).Elem(), 0)
			sameAsJSON(t, v)
		}
	}
}

// FuzzMarshalBody draws request values from the fuzzer's bytes.
func FuzzMarshalBody(f *testing.F) {
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(1), uint64(99))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		r := rand.New(rand.NewPCG(a, b))
		for _, v := range []any{new(UpdateAPIKeyRequest), new(BulkUpdateAPIKeysRequest), new(UpdateCrossClusterAPIKeyRequest)} {
			fill(r, reflect.ValueOf(v).Elem(), 0)
			sameAsJSON(t, v)
		}
	})
}

func TestMarshalBodyEdgeCases(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	deep := map[string]any{"leaf": 1}
	for range 3 * maxDepth {
		deep = map[string]any{"d": []any{deep}}
	}
	values := map[string]any{
		"documented": UpdateAPIKeyRequest{
			RoleDescriptors: map[string]RoleDescriptor{"role-a": {Indices: []IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{"write"}}}}},
			Metadata:        Metadata{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
		},
		"empty maps":      UpdateAPIKeyRequest{RoleDescriptors: map[string]RoleDescriptor{}, Metadata: Metadata{}},
		"nothing":         UpdateAPIKeyRequest{},
		"NaN":             UpdateAPIKeyRequest{Metadata: Metadata{"x": math.NaN()}},
		"-Inf":            UpdateAPIKeyRequest{Metadata: Metadata{"x": float32(math.Inf(-1))}},
		"cycle":           UpdateAPIKeyRequest{Metadata: cyclic},
		"deep":            UpdateAPIKeyRequest{Metadata: deep},
		"bad number":      UpdateAPIKeyRequest{Metadata: Metadata{"n": json.Number("01")}},
		"empty number":    UpdateAPIKeyRequest{Metadata: Metadata{"n": json.Number("")}},
		"channel":         UpdateAPIKeyRequest{Metadata: Metadata{"c": make(chan int)}},
		"query no form":   UpdateAPIKeyRequest{RoleDescriptors: map[string]RoleDescriptor{"r": {Indices: []IndicesPrivileges{{Query: &Query{}}}}}},
		"raw message":     UpdateAPIKeyRequest{Metadata: Metadata{"r": json.RawMessage(` { "a" : [ 1 , "<" ] } `)}},
		"bad raw message": UpdateAPIKeyRequest{Metadata: Metadata{"r": json.RawMessage(`{`)}},
		"cert clear":      UpdateCrossClusterAPIKeyRequest{CertificateIdentity: CertificateIdentity{Clear: true}},
		"cert both":       UpdateCrossClusterAPIKeyRequest{CertificateIdentity: CertificateIdentity{Clear: true, Value: "CN=x"}},
		"not ours":        map[string]any{"a": 1},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			p := reflect.New(reflect.TypeOf(v))
			p.Elem().Set(reflect.ValueOf(v))
			sameAsJSON(t, p.Interface())
		})
	}
}

func TestMarshalBodyFloats(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e20, 1e21, 1e-6, 1e-7, 123456789012345678, 5e-324, math.MaxFloat64, 1.0000001e-7} {
		sameAsJSON(t, &UpdateAPIKeyRequest{Metadata: Metadata{"f": f, "g": float32(f)}})
	}
}

func TestMarshalBodyStrings(t *testing.T) {
	for c := 0; c < 0x3000; c++ {
		s := "a" + string(rune(c)) + "b"
		sameAsJSON(t, &UpdateAPIKeyRequest{Metadata: Metadata{s: s}, Expiration: Duration(s)})
	}
	for b := 0x80; b < 0x100; b++ {
		s := "x" + string([]byte{byte(b)}) + "y\xe2\x80"
		sameAsJSON(t, &UpdateAPIKeyRequest{Metadata: Metadata{s: s}})
	}
}

// fill sets v, and everything under it, to random values: nil, empty and
// full, with the strings and numbers encoders get wrong.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64N(1000) - 500)
	case reflect.Slice:
		switch n := r.IntN(4); {
		case n == 0 || depth > 4:
			v.SetZero()
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				fill(r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch n := r.IntN(4); {
		case n == 0 || depth > 4:
			v.SetZero()
		default:
			m := reflect.MakeMap(v.Type())
			for range n - 1 {
				e := reflect.New(v.Type().Elem()).Elem()
				fill(r, e, depth+1)
				m.SetMapIndex(reflect.ValueOf(randString(r)), e)
			}
			v.Set(m)
		}
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 4 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Interface:
		if x := randValue(r, depth); x != nil {
			v.Set(reflect.ValueOf(x))
		} else {
			v.SetZero()
		}
	case reflect.Struct:
		if q, ok := v.Addr().Interface().(*Query); ok {
			// One form, or rarely none (json.Marshal's error).
			*q = Query{}
			switch r.IntN(10) {
			case 0:
			case 1, 2, 3:
				q.Text = randString(r) + "q"
			case 4, 5, 6:
				fill(r, reflect.ValueOf(&q.Object).Elem(), depth+1)
				if q.Object == nil {
					q.Object = map[string]any{}
				}
			default:
				q.Template = new(RoleTemplate)
				fill(r, reflect.ValueOf(q.Template).Elem(), depth+1)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth)
			}
		}
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

func randString(r *rand.Rand) string {
	parts := []string{"", "a", "role-a", "_x", "<script>&", `"\`, "\u2028\u2029", "\xff\xfe", "\x00\x1f\x7f", "é", "日本", "\t\n\r\b\f", "\U0001F600", "\xe2\x80"}
	s := ""
	for range r.IntN(3) {
		s += parts[r.IntN(len(parts))]
	}
	return s
}

type opaque struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

func randValue(r *rand.Rand, depth int) any {
	if depth > 5 {
		return "leaf"
	}
	switch r.IntN(24) {
	case 0:
		return nil
	case 1:
		return randString(r)
	case 2:
		return r.IntN(2) == 0
	case 3:
		return []float64{0, 1.5, -2, 1e21, 1e-7, 0.1, 1e20, 123456789, -0.000001}[r.IntN(9)]
	case 4:
		return float32(r.NormFloat64() * 1e10)
	case 5:
		return r.Int64() - math.MaxInt64/2
	case 6:
		return []any{int(r.Int32()), int8(-3), int16(300), int32(-7), uint(5), uint8(255), uint16(9), uint32(1 << 31), uint64(math.MaxUint64), uintptr(42)}[r.IntN(10)]
	case 7:
		return json.Number([]string{"1", "-0.5e10", "0", "", "12E+3", "01", "1.", "abc"}[r.IntN(8)])
	case 8, 9:
		m := map[string]any{}
		for range r.IntN(4) {
			m[randString(r)] = randValue(r, depth+1)
		}
		return m
	case 10:
		m := Metadata{}
		for range r.IntN(3) {
			m[randString(r)] = randValue(r, depth+1)
		}
		return m
	case 11, 12:
		var s []any
		for range r.IntN(4) {
			s = append(s, randValue(r, depth+1))
		}
		return s
	case 13:
		if r.IntN(3) == 0 {
			return []string(nil)
		}
		return []string{randString(r), randString(r)}
	case 14:
		return map[string]string{randString(r): randString(r)}
	case 15:
		return []byte(randString(r))
	case 16:
		return time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	case 17:
		return opaque{A: r.IntN(9), B: randString(r)}
	case 18:
		return &opaque{A: 1}
	case 19:
		return json.RawMessage(`{"raw" : [1, 2]}`)
	case 20:
		return []int{1, 2, 3}
	case 21:
		if r.IntN(20) == 0 {
			return math.Inf(1)
		}
		return 2.5
	case 22:
		return map[string]any(nil)
	default:
		return []any(nil)
	}
}

// BenchmarkMarshalBody encodes the documented update with encoding/json and
// with the encoder of this package.
func BenchmarkMarshalBody(b *testing.B) {
	req := &UpdateAPIKeyRequest{
		RoleDescriptors: map[string]RoleDescriptor{"role-a": {Indices: []IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{"write"}}}}},
		Metadata:        Metadata{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
	}
	for name, marshal := range map[string]func(any) ([]byte, error){"encoding-json": json.Marshal, "marshalBody": marshalBody} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := marshal(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
