package repl

import "strings"

// Statement is one SQL statement of a script, without its semicolon.
type Statement struct {
	SQL string
	// Line is the line of the input on which the statement starts, from 1.
	Line int
}

// Split splits SQL text at the semicolons that end statements. Semicolons
// inside strings, quoted identifiers and comments do not end a statement.
// It returns the complete statements, skipping empty ones and those made
// only of comments, and the text after the last complete statement.
func Split(src string) (stmts []Statement, rest string) {
	begin := 0
	for _, t := range lex(src) {
		if t.kind != tokenPunct || src[t.start] != ';' {
			continue
		}
		if s, ok := makeStatement(src, begin, t.start); ok {
			stmts = append(stmts, s)
		}
		begin = t.end
	}
	return stmts, src[begin:]
}

// makeStatement returns the statement in src[begin:end] with surrounding
// white space removed, and false when it holds no SQL.
func makeStatement(src string, begin, end int) (Statement, bool) {
	text := src[begin:end]
	if IsBlank(text) {
		return Statement{}, false
	}
	trimmed := strings.TrimLeft(text, " \t\r\n\f\v")
	skipped := begin + len(text) - len(trimmed)
	return Statement{
		SQL:  strings.TrimRight(trimmed, " \t\r\n\f\v"),
		Line: 1 + strings.Count(src[:skipped], "\n"),
	}, true
}

// IsBlank reports whether SQL text holds nothing but white space and
// complete comments. An unterminated comment is not blank, because the
// text that follows belongs to it.
func IsBlank(src string) bool {
	for _, t := range lex(src) {
		if t.open || (t.kind != tokenSpace && t.kind != tokenComment) {
			return false
		}
	}
	return true
}

// Complete reports whether src ends with a complete statement, so that
// pressing Enter should run it instead of starting a new line.
func Complete(src string) bool {
	ended := false
	for _, t := range lex(src) {
		switch {
		case t.open:
			return false
		case t.kind == tokenPunct && src[t.start] == ';':
			ended = true
		case t.kind != tokenSpace && t.kind != tokenComment:
			ended = false
		}
	}
	return ended
}

// unterminated names the string, quoted identifier or comment that src
// ends inside, or returns "".
func unterminated(src string) string {
	toks := lex(src)
	if len(toks) == 0 || !toks[len(toks)-1].open {
		return ""
	}
	switch toks[len(toks)-1].kind {
	case tokenString:
		return "string"
	case tokenIdent:
		return "quoted identifier"
	default:
		return "comment"
	}
}
