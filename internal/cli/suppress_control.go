package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
)

// maxControlSuggestions is how many known control ids an error about an
// unknown control lists.
const maxControlSuggestions = 3

// validateSuppressedControl returns an error when pattern is a control id
// that no loaded pack defines, or a pattern that matches none of them, so
// that a typo cannot create a suppression that never applies.
func validateSuppressedControl(p *benchmarks.Pack, pattern string) error {
	if strings.TrimSpace(pattern) == "" {
		return nil // AddSuppression reports the missing pattern.
	}
	if strings.Contains(pattern, "*") {
		for id := range p.Controls {
			if benchmarks.GlobMatch(pattern, id) {
				return nil
			}
		}
		return fmt.Errorf("control pattern %q matches no known control: see 'stance check --list'", pattern)
	}
	if _, ok := p.Controls[pattern]; ok {
		return nil
	}
	suggestions := closestControls(p, pattern, maxControlSuggestions)
	if len(suggestions) == 0 {
		return fmt.Errorf("unknown control %q: see 'stance check --list'", pattern)
	}
	return fmt.Errorf("unknown control %q: did you mean %s? See 'stance check --list'", pattern, strings.Join(suggestions, ", "))
}

// closestControls returns up to n control ids nearest to id by edit
// distance, nearest first. Ids further away than half the length of id
// are left out, because they are no longer a plausible typo.
func closestControls(p *benchmarks.Pack, id string, n int) []string {
	type candidate struct {
		id       string
		distance int
	}
	var candidates []candidate
	for known := range p.Controls {
		d := editDistance(id, known)
		if d <= len(id)/2 {
			candidates = append(candidates, candidate{known, d})
		}
	}
	sort.Slice(candidates, func(i, j int) bool {
		if candidates[i].distance != candidates[j].distance {
			return candidates[i].distance < candidates[j].distance
		}
		return candidates[i].id < candidates[j].id
	})
	var out []string
	for i := 0; i < len(candidates) && i < n; i++ {
		out = append(out, candidates[i].id)
	}
	return out
}

// editDistance returns the Levenshtein distance between a and b in bytes,
// which is enough for control ids because they are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
