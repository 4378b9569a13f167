package azure

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// graphTypeFilter finds the type filter in the queries that tables/azure
// sends: "type in~ ('a', 'b')" or "type =~ 'a'".
var (
	graphTypeIn    = regexp.MustCompile(`(?i)\btype\s+in~\s*\(([^)]*)\)`)
	graphTypeEqual = regexp.MustCompile(`(?i)\btype\s*=~\s*'([^']*)'`)
	graphQuoted    = regexp.MustCompile(`'([^']*)'`)
)

type graphRequest struct {
	Query         string   `json:"query"`
	Subscriptions []string `json:"subscriptions"`
	Options       struct {
		Top          *int   `json:"$top"`
		Skip         *int   `json:"$skip"`
		SkipToken    string `json:"$skipToken"`
		ResultFormat string `json:"resultFormat"`
	} `json:"options"`
}

func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, idx *index, tenant string) {
	remaining, resetAfter, ok := s.takeGraphQuota()
	w.Header().Set("x-ms-user-quota-remaining", strconv.Itoa(remaining))
	w.Header().Set("x-ms-user-quota-resets-after", formatReset(resetAfter))
	if !ok {
		s.throttled.Add(1)
		s.writeTooMany(w, "RateLimiting", "Resource Graph quota exceeded in the emulator.")
		return
	}

	var req graphRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "BadRequest", "invalid Resource Graph request body: "+err.Error())
		return
	}
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(req.Query)), "resources") {
		writeError(w, http.StatusBadRequest, "InvalidQuery", "the emulator supports queries of the Resources table only, got: "+req.Query)
		return
	}
	if req.Options.ResultFormat != "" && !strings.EqualFold(req.Options.ResultFormat, "objectArray") {
		writeError(w, http.StatusBadRequest, "InvalidQuery", "the emulator supports resultFormat objectArray only")
		return
	}
	types := graphTypes(req.Query)

	subs := req.Subscriptions
	if len(subs) == 0 {
		for id := range idx.subs {
			if !idx.denied[id] {
				subs = append(subs, id)
			}
		}
	}
	for _, sub := range subs {
		if idx.denied[strings.ToLower(sub)] {
			writeError(w, http.StatusForbidden, "AuthorizationFailed",
				fmt.Sprintf("The client does not have authorization to query Resource Graph over scope '/subscriptions/%s'.", sub))
			return
		}
	}

	var rows []indexed
	for _, sub := range subs {
		for _, res := range idx.bySub[strings.ToLower(sub)] {
			if types == nil || types[res.typ] {
				rows = append(rows, res)
			}
		}
	}
	// Rows of different subscriptions interleave in id order, as
	// "order by id asc" requests.
	sortIndexed(rows)

	top := 100
	if req.Options.Top != nil {
		top = *req.Options.Top
	}
	if top <= 0 || top > 1000 {
		writeError(w, http.StatusBadRequest, "InvalidQuery", "$top must be between 1 and 1000")
		return
	}
	if s.opts.PageSize > 0 && top > s.opts.PageSize {
		top = s.opts.PageSize
	}
	start := 0
	if req.Options.SkipToken != "" {
		n, err := strconv.Atoi(req.Options.SkipToken)
		if err != nil || n < 0 || n > len(rows) {
			writeError(w, http.StatusBadRequest, "InvalidSkipToken", "invalid $skipToken "+req.Options.SkipToken)
			return
		}
		start = n
	}
	end := min(start+top, len(rows))
	data := make([]json.RawMessage, 0, end-start)
	for _, res := range rows[start:end] {
		data = append(data, graphRow(res.raw, tenant))
	}
	resp := map[string]any{
		"totalRecords":    len(rows),
		"count":           len(data),
		"data":            data,
		"facets":          []any{},
		"resultTruncated": "false",
	}
	switch {
	case end < len(rows) && s.opts.TruncateGraph:
		resp["resultTruncated"] = "true"
	case end < len(rows):
		resp["$skipToken"] = strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, resp)
}

// graphTypes returns the lower-cased types the query filters on, or nil
// for a query without a type filter.
func graphTypes(query string) map[string]bool {
	var list []string
	if m := graphTypeIn.FindStringSubmatch(query); m != nil {
		for _, q := range graphQuoted.FindAllStringSubmatch(m[1], -1) {
			list = append(list, q[1])
		}
	} else if m := graphTypeEqual.FindStringSubmatch(query); m != nil {
		list = append(list, m[1])
	} else {
		return nil
	}
	out := map[string]bool{}
	for _, t := range list {
		out[strings.ToLower(t)] = true
	}
	return out
}

// graphRow adds the columns that Resource Graph puts beside the ARM JSON
// of a resource.
func graphRow(raw json.RawMessage, tenant string) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return raw
	}
	id, _ := m["id"].(string)
	typ, _ := m["type"].(string)
	m["type"] = strings.ToLower(typ)
	m["subscriptionId"] = subscriptionOf(id)
	m["tenantId"] = tenant
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) >= 4 && strings.EqualFold(parts[2], "resourcegroups") {
		m["resourceGroup"] = strings.ToLower(parts[3])
	}
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}

func (s *Server) takeGraphQuota() (remaining int, resetAfter time.Duration, ok bool) {
	if s.opts.GraphQuota <= 0 {
		return 15, s.opts.GraphWindow, true
	}
	s.quotaMu.Lock()
	defer s.quotaMu.Unlock()
	now := time.Now()
	if now.Sub(s.quotaStart) >= s.opts.GraphWindow {
		s.quotaStart, s.quotaUsed = now, 0
	}
	resetAfter = s.opts.GraphWindow - now.Sub(s.quotaStart)
	if s.quotaUsed >= s.opts.GraphQuota {
		return 0, resetAfter, false
	}
	s.quotaUsed++
	return s.opts.GraphQuota - s.quotaUsed, resetAfter, true
}

func formatReset(d time.Duration) string {
	sec := d.Seconds()
	h := int(sec) / 3600
	m := (int(sec) % 3600) / 60
	rest := sec - float64(h*3600+m*60)
	return fmt.Sprintf("%02d:%02d:%06.3f", h, m, rest)
}

func sortIndexed(rows []indexed) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
}
