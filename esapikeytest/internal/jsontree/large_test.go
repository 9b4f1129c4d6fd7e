package jsontree

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"unsafe"
)

// The node is as small as its doc comment says.
func TestNodeSize(t *testing.T) {
	if size := unsafe.Sizeof(Node{}); size != 32 {
		t.Errorf("a Node takes %d bytes, not 32", size)
	}
}

// Containers larger than a chunk of the pending stacks, nested in and beside each other, get their values
// and keys in order: each is compared with what encoding/json reads.
func TestParseContainersAcrossChunks(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"before":[1,2],"big":[`)
	for i := range 3*chunkLen + 7 {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 1000 {
		case 500: // an inner container that opens when the outer one spans chunks
			b.WriteString(`{"x":[` + fmt.Sprint(i) + `,"y"],"z":{}}`)
		default:
			fmt.Fprint(&b, i)
		}
	}
	b.WriteString(`],"keys":{`)
	for i := range chunkLen + 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":[%d]`, i, i)
	}
	b.WriteString(`},"after":"end"}`)
	body := b.Bytes()

	d, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if got := plain(d.Root); !reflect.DeepEqual(got, stdlibRead(t, body)) {
		t.Fatal("the tree differs from what encoding/json reads")
	}
	if got := d.Root.Keys(); !reflect.DeepEqual(got, []string{"before", "big", "keys", "after"}) {
		t.Errorf("root keys %q, not in document order", got)
	}
	if _, err := Parse([]byte(`{"a":[` + string(bytes.Repeat([]byte("1,"), chunkLen)) + `1],"a":2}`)); err == nil {
		t.Error("a duplicate key after a large value was accepted")
	}
}

// A parsed body keeps, for the values that cost the most (an array of one-digit numbers: a value per
// two bytes), at most maxKept bytes per byte of body: a 32-byte node and an 8-byte slot in its array
// per value, and the unused ends of the last chunks.
func TestParseKeepsLittlePerByte(t *testing.T) {
	const maxKept = 22
	for _, bb := range benchBodies {
		body := bb.body(4 << 20)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		d, err := Parse(body)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(body))
		runtime.KeepAlive(d)
		t.Logf("%s: %.1f bytes kept per byte of body", bb.name, kept)
		if kept > maxKept {
			t.Errorf("%s: %.1f bytes kept per byte of body, want at most %d", bb.name, kept, maxKept)
		}
	}
}
