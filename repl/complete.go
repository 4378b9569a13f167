package repl

import "strings"

// Candidate is one completion: the text to insert and what it is.
type Candidate struct {
	Value       string
	Description string
	// Group is the heading the candidate is listed under, such as
	// "tables" or "columns".
	Group string
}

// tableInfo is a table or view of the catalog.
type tableInfo struct {
	schema      string
	name        string
	description string
}

// columnInfo is a column of a table or view.
type columnInfo struct {
	name        string
	dataType    string
	description string
}

// catalog contains the names of the database and the packs that
// completion offers.
type catalog struct {
	tables []tableInfo
	// columns maps a lower-case table name, qualified with its schema
	// unless the schema is main, to its columns in table order.
	columns   map[string][]columnInfo
	keywords  []string
	functions []Candidate
	// checks are the benchmark references and control ids that .check
	// accepts and that string literals complete to.
	checks []Candidate
}

// tableKey returns the key of a table in catalog.columns.
func tableKey(schema, name string) string {
	if schema == "" || strings.EqualFold(schema, "main") {
		return strings.ToLower(name)
	}
	return strings.ToLower(schema + "." + name)
}

// tableRef is a table named in a statement, with its alias if any.
type tableRef struct {
	key   string // as in catalog.columns
	alias string
}

// clauseEnd lists the words that end a table reference in FROM or JOIN, so
// that they are not taken for an alias.
var clauseEnd = map[string]bool{
	"where": true, "join": true, "left": true, "right": true, "inner": true, "outer": true,
	"full": true, "cross": true, "natural": true, "on": true, "using": true, "group": true,
	"order": true, "limit": true, "having": true, "union": true, "except": true,
	"intersect": true, "window": true, "qualify": true, "select": true, "lateral": true,
	"positional": true, "asof": true, "anti": true, "semi": true, "offset": true,
	"returning": true, "set": true, "values": true, "pivot": true, "unpivot": true,
	"using_sample": true, "tablesample": true, "from": true,
}

// tableWords are the words after which a table name comes.
var tableWords = map[string]bool{
	"from": true, "join": true, "update": true, "into": true, "table": true,
	"describe": true, "summarize": true,
}

// significant returns the tokens of toks that are neither white space nor
// comments.
func significant(toks []token) []token {
	out := toks[:0:0]
	for _, t := range toks {
		if t.kind != tokenSpace && t.kind != tokenComment {
			out = append(out, t)
		}
	}
	return out
}

// identName returns the name of a word or quoted identifier token: a word
// as written, a quoted identifier without its quotes.
func identName(src string, t token) string {
	s := t.text(src)
	if t.kind == tokenIdent {
		s = strings.TrimPrefix(s, `"`)
		s = strings.TrimSuffix(s, `"`)
		s = strings.ReplaceAll(s, `""`, `"`)
	}
	return s
}

func isName(t token) bool { return t.kind == tokenWord || t.kind == tokenIdent }

// tableRefs returns the tables that follow FROM and JOIN anywhere in the
// statement, subqueries included, with their aliases.
// NOTE: the columns of a CTE, a subquery in FROM or a table function such
// as stance_changes are not known, so they are not completed.
func tableRefs(src string, toks []token) []tableRef {
	sig := significant(toks)
	var refs []tableRef
	for i := 0; i < len(sig); i++ {
		word := strings.ToLower(sig[i].text(src))
		if sig[i].kind != tokenWord || (word != "from" && word != "join") {
			continue
		}
		for j := i + 1; j < len(sig); {
			ref, next, ok := parseTableRef(src, sig, j)
			if !ok {
				break
			}
			refs = append(refs, ref)
			j = next
			if j >= len(sig) || sig[j].text(src) != "," {
				break
			}
			j++
		}
	}
	return refs
}

// parseTableRef reads "name", "schema.name" or a table function call at
// sig[i], then an optional alias with or without AS.
func parseTableRef(src string, sig []token, i int) (tableRef, int, bool) {
	if i >= len(sig) || !isName(sig[i]) || (sig[i].kind == tokenWord && clauseEnd[strings.ToLower(sig[i].text(src))]) {
		return tableRef{}, i, false
	}
	schema, name := "", identName(src, sig[i])
	i++
	if i+1 < len(sig) && sig[i].text(src) == "." && isName(sig[i+1]) {
		schema, name = name, identName(src, sig[i+1])
		i += 2
	}
	if i < len(sig) && sig[i].text(src) == "(" {
		i = skipParens(src, sig, i)
	}
	ref := tableRef{key: tableKey(schema, name)}
	if i < len(sig) && sig[i].kind == tokenWord && strings.EqualFold(sig[i].text(src), "as") {
		i++
	}
	if i < len(sig) && isName(sig[i]) && !(sig[i].kind == tokenWord && clauseEnd[strings.ToLower(sig[i].text(src))]) {
		ref.alias = identName(src, sig[i])
		i++
	}
	return ref, i, true
}

// skipParens returns the index after the parenthesis that closes sig[i].
func skipParens(src string, sig []token, i int) int {
	depth := 0
	for ; i < len(sig); i++ {
		switch sig[i].text(src) {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

// statementAt returns the bounds of the statement around the cursor: the
// text between the semicolons before and after it.
func statementAt(src string, cursor int) (begin, end int) {
	begin, end = 0, len(src)
	for _, t := range lex(src) {
		if t.kind != tokenPunct || src[t.start] != ';' {
			continue
		}
		if t.end <= cursor {
			begin = t.end
		} else if t.start >= cursor {
			return begin, t.start
		}
	}
	return begin, end
}

// completeSQL returns the fragment of a name before the cursor and the
// candidates for it. The candidates depend on the cursor's place in the
// statement: tables after FROM and JOIN, and columns after an alias or
// table and a dot. Elsewhere they are the columns of the statement's
// tables, functions and keywords.
func (c *catalog) completeSQL(line string, cursor int) (string, []Candidate) {
	begin, end := statementAt(line, cursor)
	src := line[begin:end]
	cur := cursor - begin
	toks := lex(src)

	for _, t := range toks {
		// A line comment runs to the end of the line, so a cursor at its
		// end is still inside it.
		lineComment := t.kind == tokenComment && src[t.start] == '-'
		inside := t.start < cur && (cur < t.end || (cur == t.end && (t.open || lineComment)))
		if !inside {
			continue
		}
		switch t.kind {
		case tokenString:
			if src[t.start] == '$' {
				return "", nil
			}
			quote := strings.IndexByte(src[t.start:], '\'')
			prefix := src[t.start+quote+1 : cur]
			return prefix, filterPrefix(c.checks, prefix)
		case tokenComment, tokenIdent:
			return "", nil
		}
	}

	start := cur
	for start > 0 && isWordPart(src[start-1]) {
		start--
	}
	prefix := src[start:cur]
	before := significant(lexBefore(toks, start))

	if n := len(before); n >= 2 && before[n-1].end == start && src[before[n-1].start] == '.' && isName(before[n-2]) {
		qualifier := identName(src, before[n-2])
		return prefix, c.qualified(src, toks, qualifier, prefix)
	}

	if tablePosition(src, before) {
		return prefix, filterPrefix(c.tableCandidates(), prefix)
	}
	if aliasPosition(src, before) {
		return prefix, c.keywordCandidates(prefix)
	}

	cols := c.statementColumns(tableRefs(src, toks))
	if prefix == "" && len(cols) > 0 {
		return prefix, cols
	}
	out := filterPrefix(cols, prefix)
	if prefix != "" {
		out = append(out, filterPrefix(c.functions, prefix)...)
		out = append(out, c.keywordCandidates(prefix)...)
	}
	return prefix, out
}

// lexBefore returns the tokens that end at or before offset.
func lexBefore(toks []token, offset int) []token {
	n := 0
	for n < len(toks) && toks[n].end <= offset {
		n++
	}
	return toks[:n]
}

// tablePosition reports whether the next word is a table name: right after
// FROM, JOIN and the like, or after a comma that follows a table in FROM.
func tablePosition(src string, before []token) bool {
	n := len(before)
	if n == 0 {
		return false
	}
	last := before[n-1]
	if last.kind == tokenWord && tableWords[strings.ToLower(last.text(src))] {
		return true
	}
	if last.text(src) != "," {
		return false
	}
	// A comma continues a FROM list when the nearest clause word at the
	// same depth is FROM.
	depth := 0
	for i := n - 2; i >= 0; i-- {
		switch t := before[i].text(src); {
		case t == ")":
			depth++
		case t == "(":
			if depth == 0 {
				return false
			}
			depth--
		case depth == 0 && before[i].kind == tokenWord:
			w := strings.ToLower(t)
			if w == "from" {
				return true
			}
			if clauseEnd[w] {
				return false
			}
		}
	}
	return false
}

// aliasPosition reports whether the next word follows a table name in
// FROM or JOIN, where an alias or a keyword such as WHERE comes.
func aliasPosition(src string, before []token) bool {
	n := len(before)
	if n < 2 || !isName(before[n-1]) {
		return false
	}
	prev := before[n-2]
	if prev.text(src) == "." && n >= 4 {
		prev = before[n-4]
	}
	return prev.text(src) == "," && tablePosition(src, before[:n-1]) ||
		prev.kind == tokenWord && tableWords[strings.ToLower(prev.text(src))]
}

// qualified returns the candidates after "qualifier.": the columns of the
// table that the qualifier names or aliases, or the tables of a schema.
func (c *catalog) qualified(src string, toks []token, qualifier, prefix string) []Candidate {
	for _, ref := range tableRefs(src, toks) {
		if strings.EqualFold(ref.alias, qualifier) {
			return filterPrefix(c.columnCandidates(ref.key, ""), prefix)
		}
	}
	for _, ref := range tableRefs(src, toks) {
		if ref.alias == "" && (ref.key == strings.ToLower(qualifier) || strings.HasSuffix(ref.key, "."+strings.ToLower(qualifier))) {
			return filterPrefix(c.columnCandidates(ref.key, ""), prefix)
		}
	}
	var out []Candidate
	for _, t := range c.tables {
		if strings.EqualFold(t.schema, qualifier) {
			out = append(out, Candidate{Value: t.name, Description: t.description, Group: "tables"})
		}
	}
	if len(out) > 0 {
		return filterPrefix(out, prefix)
	}
	return filterPrefix(c.columnCandidates(tableKey("", qualifier), ""), prefix)
}

func (c *catalog) columnCandidates(key, table string) []Candidate {
	var out []Candidate
	for _, col := range c.columns[key] {
		desc := col.dataType
		if col.description != "" {
			desc += " · " + col.description
		}
		if table != "" {
			desc = table + " · " + desc
		}
		out = append(out, Candidate{Value: col.name, Description: desc, Group: "columns"})
	}
	return out
}

// statementColumns returns the columns of the tables in the statement,
// each once; a column in several tables names the first.
func (c *catalog) statementColumns(refs []tableRef) []Candidate {
	seen := map[string]bool{}
	var out []Candidate
	for _, ref := range refs {
		for _, cand := range c.columnCandidates(ref.key, ref.key) {
			if !seen[cand.Value] {
				seen[cand.Value] = true
				out = append(out, cand)
			}
		}
	}
	return out
}

func (c *catalog) tableCandidates() []Candidate {
	var out []Candidate
	schemas := map[string]bool{}
	for _, t := range c.tables {
		if t.schema == "" || t.schema == "main" {
			out = append(out, Candidate{Value: t.name, Description: t.description, Group: "tables"})
			continue
		}
		if !schemas[t.schema] {
			schemas[t.schema] = true
			out = append(out, Candidate{Value: t.schema + ".", Description: "schema", Group: "schemas"})
		}
	}
	return out
}

// keywordCandidates returns the keywords that start with prefix, in upper
// case unless the prefix is typed in lower case.
func (c *catalog) keywordCandidates(prefix string) []Candidate {
	lower := prefix != "" && prefix == strings.ToLower(prefix)
	var out []Candidate
	for _, k := range c.keywords {
		if !hasPrefixFold(k, prefix) {
			continue
		}
		v := strings.ToUpper(k)
		if lower {
			v = strings.ToLower(k)
		}
		out = append(out, Candidate{Value: v, Description: "keyword", Group: "keywords"})
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// filterPrefix returns the candidates whose value starts with prefix,
// ignoring case.
func filterPrefix(cands []Candidate, prefix string) []Candidate {
	var out []Candidate
	for _, c := range cands {
		if hasPrefixFold(c.Value, prefix) {
			out = append(out, c)
		}
	}
	return out
}
