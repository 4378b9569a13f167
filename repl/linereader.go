package repl

import (
	"bufio"
	"io"
	"strings"
)

// lineReader reads lines of any length, without their line ending.
type lineReader struct{ r *bufio.Reader }

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: bufio.NewReader(r)} }

// next returns the next line, and io.EOF with the last line when the input
// ends without a newline.
func (l *lineReader) next() (string, error) {
	line, err := l.r.ReadString('\n')
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	return line, err
}
