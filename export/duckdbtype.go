package export

import (
	"fmt"
	"strconv"
	"strings"
)

// duckType is a parsed DuckDB type name such as "MAP(VARCHAR, BIGINT[])",
// as the duckdb-go driver reports it in ColumnTypeDatabaseTypeName.
type duckType struct {
	// Name is the base type in upper case: VARCHAR, LIST, ARRAY, STRUCT,
	// MAP, DECIMAL, UNION and so on.
	Name string
	// Elem is the element type of a LIST or ARRAY.
	Elem *duckType
	// Size is the length of an ARRAY.
	Size int
	// Key and Value are the types of a MAP.
	Key, Value *duckType
	// Fields are the members of a STRUCT or UNION, in order.
	Fields []duckField
	// Width and Scale are the precision of a DECIMAL.
	Width, Scale int
}

type duckField struct {
	Name string
	Type *duckType
}

// parseDuckType parses a DuckDB type name. It accepts the forms the
// driver prints: T[] for a list, T[N] for an array, MAP(K, V),
// STRUCT(name T, "quoted name" T), UNION(...) and DECIMAL(W,S).
func parseDuckType(s string) (*duckType, error) {
	p := &typeParser{text: s}
	t, err := p.parseType()
	if err != nil {
		return nil, fmt.Errorf("parse DuckDB type %q: %w", s, err)
	}
	p.skipSpace()
	if p.pos != len(p.text) {
		return nil, fmt.Errorf("parse DuckDB type %q: unexpected %q at offset %d", s, p.text[p.pos:], p.pos)
	}
	return t, nil
}

type typeParser struct {
	text string
	pos  int
}

func (p *typeParser) skipSpace() {
	for p.pos < len(p.text) && p.text[p.pos] == ' ' {
		p.pos++
	}
}

func (p *typeParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.text) {
		return p.text[p.pos]
	}
	return 0
}

func (p *typeParser) expect(c byte) error {
	if p.peek() != c {
		return fmt.Errorf("expected %q at offset %d", c, p.pos)
	}
	p.pos++
	return nil
}

// word reads a bare name: letters, digits, underscores and the spaces of
// multi-word names such as "TIMESTAMP WITH TIME ZONE".
func (p *typeParser) word() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.text) {
		c := p.text[p.pos]
		if c == '(' || c == ')' || c == ',' || c == '[' || c == ']' || c == '"' {
			break
		}
		p.pos++
	}
	return strings.TrimSpace(p.text[start:p.pos])
}

// fieldName reads a struct member name, bare or in double quotes with ""
// standing for one quote.
func (p *typeParser) fieldName() (string, error) {
	if p.peek() != '"' {
		p.skipSpace()
		start := p.pos
		for p.pos < len(p.text) && p.text[p.pos] != ' ' {
			p.pos++
		}
		if start == p.pos {
			return "", fmt.Errorf("missing field name at offset %d", start)
		}
		return p.text[start:p.pos], nil
	}
	p.pos++
	var b strings.Builder
	for p.pos < len(p.text) {
		c := p.text[p.pos]
		p.pos++
		if c != '"' {
			b.WriteByte(c)
			continue
		}
		if p.pos < len(p.text) && p.text[p.pos] == '"' {
			b.WriteByte('"')
			p.pos++
			continue
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unterminated quoted field name")
}

func (p *typeParser) parseType() (*duckType, error) {
	name := strings.ToUpper(p.word())
	if name == "" {
		return nil, fmt.Errorf("missing type name at offset %d", p.pos)
	}
	t := &duckType{Name: name}
	if p.peek() == '(' {
		p.pos++
		if err := p.parseArguments(t); err != nil {
			return nil, err
		}
		if err := p.expect(')'); err != nil {
			return nil, err
		}
	}
	// Suffixes bind from the left: INTEGER[3][] is a list of arrays.
	for p.peek() == '[' {
		p.pos++
		size := p.word()
		if err := p.expect(']'); err != nil {
			return nil, err
		}
		if size == "" {
			t = &duckType{Name: "LIST", Elem: t}
			continue
		}
		n, err := strconv.Atoi(size)
		if err != nil {
			return nil, fmt.Errorf("invalid array size %q", size)
		}
		t = &duckType{Name: "ARRAY", Elem: t, Size: n}
	}
	return t, nil
}

func (p *typeParser) parseArguments(t *duckType) error {
	switch t.Name {
	case "MAP":
		key, err := p.parseType()
		if err != nil {
			return err
		}
		if err := p.expect(','); err != nil {
			return err
		}
		value, err := p.parseType()
		if err != nil {
			return err
		}
		t.Key, t.Value = key, value
	case "STRUCT", "UNION":
		for {
			name, err := p.fieldName()
			if err != nil {
				return err
			}
			ft, err := p.parseType()
			if err != nil {
				return err
			}
			t.Fields = append(t.Fields, duckField{Name: name, Type: ft})
			if p.peek() != ',' {
				return nil
			}
			p.pos++
		}
	case "DECIMAL", "NUMERIC":
		t.Name = "DECIMAL"
		width, err := strconv.Atoi(p.word())
		if err != nil {
			return fmt.Errorf("invalid DECIMAL width: %w", err)
		}
		t.Width = width
		if p.peek() == ',' {
			p.pos++
			scale, err := strconv.Atoi(p.word())
			if err != nil {
				return fmt.Errorf("invalid DECIMAL scale: %w", err)
			}
			t.Scale = scale
		}
	default:
		// Arguments of other types (VARCHAR(10) in a cast, say) do not
		// change the value's form: skip them.
		depth := 1
		for p.pos < len(p.text) && depth > 0 {
			switch p.text[p.pos] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return nil
				}
			}
			p.pos++
		}
	}
	return nil
}
