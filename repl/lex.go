package repl

import (
	"strings"
	"unicode/utf8"
)

// tokenKind classifies a token of SQL text.
type tokenKind int

const (
	tokenSpace   tokenKind = iota
	tokenWord              // keyword or unquoted identifier
	tokenNumber            // numeric literal
	tokenIdent             // "quoted identifier"
	tokenString            // 'string', E'string' or $tag$string$tag$
	tokenComment           // -- line or /* block */ comment
	tokenPunct             // one character of punctuation or an operator
)

// token is one lexical element of SQL text; start and end are byte offsets.
type token struct {
	kind  tokenKind
	start int
	end   int
	// open is set on the last token when the text ends inside it: an
	// unterminated string, quoted identifier or block comment.
	open bool
}

func (t token) text(src string) string { return src[t.start:t.end] }

// lex splits SQL text into tokens with DuckDB's quoting rules: ” inside a
// string, "" inside a quoted identifier, backslash escapes in E” strings,
// dollar-quoted strings, -- line comments and nested /* */ comments.
func lex(src string) []token {
	var toks []token
	for i := 0; i < len(src); {
		start := i
		c := src[i]
		var kind tokenKind
		open := false
		switch {
		case isSpace(c):
			kind = tokenSpace
			for i < len(src) && isSpace(src[i]) {
				i++
			}
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			kind = tokenComment
			if n := strings.IndexByte(src[i:], '\n'); n >= 0 {
				i += n
			} else {
				i = len(src)
			}
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			kind = tokenComment
			i, open = scanBlockComment(src, i)
		case c == '\'':
			kind = tokenString
			i, open = scanQuoted(src, i, '\'', false)
		case (c == 'e' || c == 'E') && i+1 < len(src) && src[i+1] == '\'':
			kind = tokenString
			i, open = scanQuoted(src, i+1, '\'', true)
		case c == '"':
			kind = tokenIdent
			i, open = scanQuoted(src, i, '"', false)
		case c == '$':
			if tag, ok := dollarTag(src[i:]); ok {
				kind = tokenString
				if n := strings.Index(src[i+len(tag):], tag); n >= 0 {
					i += 2*len(tag) + n
				} else {
					i, open = len(src), true
				}
				break
			}
			kind = tokenPunct
			i++
		case isWordStart(c):
			kind = tokenWord
			for i < len(src) && isWordPart(src[i]) {
				i++
			}
		case c >= '0' && c <= '9':
			kind = tokenNumber
			for i < len(src) && (isWordPart(src[i]) || src[i] == '.') {
				i++
			}
		default:
			kind = tokenPunct
			_, size := utf8.DecodeRuneInString(src[i:])
			i += size
		}
		toks = append(toks, token{kind: kind, start: start, end: i, open: open})
	}
	return toks
}

// scanQuoted returns the end of the quoted text that starts at src[i] ==
// quote. A doubled quote stands for itself; with backslash set, a
// backslash escapes the next byte as in E” strings.
func scanQuoted(src string, i int, quote byte, backslash bool) (end int, open bool) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if backslash {
				j++
			}
		case quote:
			if j+1 < len(src) && src[j+1] == quote {
				j++
				continue
			}
			return j + 1, false
		}
	}
	return len(src), true
}

// scanBlockComment returns the end of the comment that starts at src[i:]
// == "/*". Block comments nest, as in PostgreSQL, whose grammar DuckDB's
// parser derives from.
func scanBlockComment(src string, i int) (end int, open bool) {
	depth := 0
	for j := i; j < len(src)-1; j++ {
		switch {
		case src[j] == '/' && src[j+1] == '*':
			depth++
			j++
		case src[j] == '*' && src[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1, false
			}
		}
	}
	return len(src), true
}

// dollarTag returns the opening tag of a dollar-quoted string at the start
// of s, such as "$$" or "$body$". A parameter such as $1 is not a tag.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1], true
		case j == 1 && c >= '0' && c <= '9':
			return "", false
		case !isWordPart(c) || c == '$':
			return "", false
		}
	}
	return "", false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWordStart reports whether c starts an unquoted identifier. Bytes of
// multi-byte UTF-8 characters count as letters, as DuckDB accepts them.
func isWordStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isWordPart(c byte) bool {
	return isWordStart(c) || (c >= '0' && c <= '9') || c == '$'
}
