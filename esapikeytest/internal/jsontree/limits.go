package jsontree

import "fmt"

// The limits Jackson's StreamReadConstraints put on a body, as Elasticsearch configures them for JSON
// (XContentImplUtils.configure, used by JsonXContentImpl; x-content runs jackson-core 2.17.2 from 8.16 and
// 2.21 from early 2026, both with the defaults below):
//
//   - nesting depth: DEFAULT_MAX_DEPTH, 1000 open objects and arrays, the root included; Elasticsearch
//     keeps it.
//   - number length: DEFAULT_MAX_NUM_LEN, 1000 digits (sign, point and exponent marker not counted, as
//     ParserBase.resetInt and resetFloat count them); Elasticsearch keeps it.
//   - string length: lifted to Integer.MAX_VALUE by XContentImplUtils ("Relax limit on max string
//     size", elasticsearch#96031), so no string of a body under http.max_content_length reaches it.
//   - name length: lifted to Integer.MAX_VALUE likewise (elasticsearch#126806, 8.17.x, 8.19, 9.0 on).
//   - document length and token count: unlimited by default (DEFAULT_MAX_DOC_LEN = -1, maxTokenCount
//     -1); Elasticsearch sets neither, leaving the body to http.max_content_length.
//
// Jackson reports a limit with a StreamConstraintsException without a location, which
// JsonXContentParser.handleParserException (elasticsearch#123439: 8.19, 9.1 on) turns into an
// x_content_parse_exception with Jackson's message as its whole reason. These limits came with
// jackson-core 2.15 (Elasticsearch moved to it in 2023, about 8.9; 8.4 to 8.8 ran 2.13 and 2.14, which
// have none), and the messages took this form in 2.16. Before handleParserException the exception left
// the parser unconverted, so a release before 8.19 answers it wrapped differently (an ObjectParser
// "failed to parse field" around a stream_constraints_exception); the version table does not record
// this, and the server answers as the newest releases do.
const (
	maxDepth        = 1000
	maxNumberLength = 1000
)

// depthError is StreamReadConstraints.validateNestingDepth's message.
func depthError(depth, off int) *SyntaxError {
	return &SyntaxError{Off: off, Msg: fmt.Sprintf(
		"Document nesting depth (%d) exceeds the maximum allowed (%d, from `StreamReadConstraints.getMaxNestingDepth()`)",
		depth, maxDepth)}
}

// numberLengthError is StreamReadConstraints.validateIntegerLength's and validateFPLength's message.
func numberLengthError(digits, off int) *SyntaxError {
	return &SyntaxError{Off: off, Msg: fmt.Sprintf(
		"Number value length (%d) exceeds the maximum allowed (%d, from `StreamReadConstraints.getMaxNumberLength()`)",
		digits, maxNumberLength)}
}
