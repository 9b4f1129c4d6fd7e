package query

// sqsScan holds, for every position, where SimpleQueryParser's forward scans from there would stop:
// the parenthesis that closes a group opened just before, and the next unescaped quote. A backslash
// escapes the character after it in both scans, and quotes do not hide parentheses from the first.
type sqsScan struct {
	lower  []int32 // lower[j]: the first k > j where fewer groups are open than at j, or -1
	quotes []int32 // quotes[j]: the first unescaped '"' at or after j, or -1
}

func newSqsScan(text string) *sqsScan {
	n := len(text)
	open := make([]int32, n+1) // open[j]: unescaped '(' minus ')' before j
	escaped := make([]bool, n)
	esc := false
	for i := range n {
		d := int32(0)
		switch {
		case esc:
			esc, escaped[i] = false, true
		case text[i] == '\\':
			esc = true
		case text[i] == '(':
			d = 1
		case text[i] == ')':
			d = -1
		}
		open[i+1] = open[i] + d
	}
	sc := &sqsScan{lower: make([]int32, n+1), quotes: make([]int32, n+1)}
	var stack []int32
	next := int32(-1)
	for j := n; j >= 0; j-- {
		for len(stack) > 0 && open[stack[len(stack)-1]] >= open[j] {
			stack = stack[:len(stack)-1]
		}
		sc.lower[j] = -1
		if len(stack) > 0 {
			sc.lower[j] = stack[len(stack)-1]
		}
		stack = append(stack, int32(j))
		if j < n && text[j] == '"' && !escaped[j] {
			next = int32(j)
		}
		sc.quotes[j] = next
	}
	return sc
}

// closer is the position of the ')' that closes a '(' at open, or -1: the first unescaped ')' after
// which more parentheses have closed than opened since open (SimpleQueryParser.consumeSubQuery).
func (sc *sqsScan) closer(open int) int {
	if k := sc.lower[open+1]; k >= 0 {
		return int(k) - 1
	}
	return -1
}

func (sc *sqsScan) quote(from int) int { return int(sc.quotes[from]) }
