package awsstub

import (
	"net/http"
	"strconv"
	"time"
)

// dateTimeFormat is the restJson1 date-time format AWS sends, with
// milliseconds.
const dateTimeFormat = "2006-01-02T15:04:05.000Z"

type listAnalyzersResponse struct {
	Analyzers []analyzerSummary `json:"analyzers"`
	NextToken string            `json:"nextToken,omitempty"`
}

type analyzerSummary struct {
	ARN                    string                 `json:"arn"`
	Name                   string                 `json:"name"`
	Type                   string                 `json:"type"`
	Status                 string                 `json:"status"`
	CreatedAt              string                 `json:"createdAt"`
	LastResourceAnalyzed   string                 `json:"lastResourceAnalyzed,omitempty"`
	LastResourceAnalyzedAt string                 `json:"lastResourceAnalyzedAt,omitempty"`
	StatusReason           *analyzerStatusReason  `json:"statusReason,omitempty"`
	Tags                   map[string]string      `json:"tags,omitempty"`
	Configuration          *analyzerConfiguration `json:"configuration,omitempty"`
}

type analyzerStatusReason struct {
	Code string `json:"code"`
}

// analyzerConfiguration is the union AnalyzerConfiguration with its
// unusedAccess member set.
type analyzerConfiguration struct {
	UnusedAccess struct {
		UnusedAccessAge int `json:"unusedAccessAge"`
	} `json:"unusedAccess"`
}

// listAnalyzers serves GET /analyzer?type=&maxResults=&nextToken=.
func (s *Server) listAnalyzers(w http.ResponseWriter, r *http.Request, data RegionData) {
	query := r.URL.Query()
	maxResults := 0
	if v := query.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.reject(w, r, http.StatusBadRequest, "ValidationException", "invalid maxResults "+strconv.Quote(v)+": want a positive integer")
			return
		}
		maxResults = n
	}

	var matched []Analyzer
	for _, a := range data.Analyzers {
		if t := query.Get("type"); t == "" || t == a.Type {
			matched = append(matched, a)
		}
	}
	start, end, next, err := page(len(matched), query.Get("nextToken"), maxResults, s.pageSize)
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}

	resp := listAnalyzersResponse{Analyzers: []analyzerSummary{}, NextToken: next}
	for _, a := range matched[start:end] {
		resp.Analyzers = append(resp.Analyzers, toAnalyzerSummary(a))
	}
	s.writeJSON(w, resp)
}

func toAnalyzerSummary(a Analyzer) analyzerSummary {
	out := analyzerSummary{
		ARN:                  a.ARN,
		Name:                 a.Name,
		Type:                 a.Type,
		Status:               a.Status,
		CreatedAt:            formatTime(a.CreatedAt),
		LastResourceAnalyzed: a.LastResourceAnalyzed,
		Tags:                 a.Tags,
	}
	if a.LastResourceAnalyzedAt != nil {
		out.LastResourceAnalyzedAt = formatTime(*a.LastResourceAnalyzedAt)
	}
	if a.StatusReasonCode != "" {
		out.StatusReason = &analyzerStatusReason{Code: a.StatusReasonCode}
	}
	if a.UnusedAccessAge > 0 {
		out.Configuration = &analyzerConfiguration{}
		out.Configuration.UnusedAccess.UnusedAccessAge = a.UnusedAccessAge
	}
	return out
}

func formatTime(t time.Time) string {
	return t.UTC().Format(dateTimeFormat)
}
