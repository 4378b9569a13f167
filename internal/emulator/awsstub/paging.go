package awsstub

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// tokenPrefix marks the stub's page tokens, which encode the offset of the
// next item. Tokens are opaque to clients, as AWS's are.
const tokenPrefix = "awsstub:"

// page returns the bounds [start, end) of the page of total items that
// starts at token, and the token of the next page ("" on the last page).
// maxResults of zero means the server's page size.
func page(total int, token string, maxResults, pageSize int) (start, end int, next string, err error) {
	if token != "" {
		raw, decodeErr := base64.RawURLEncoding.DecodeString(token)
		offset, convErr := strconv.Atoi(strings.TrimPrefix(string(raw), tokenPrefix))
		if decodeErr != nil || convErr != nil || !strings.HasPrefix(string(raw), tokenPrefix) || offset < 0 || offset > total {
			return 0, 0, "", fmt.Errorf("invalid pagination token %q", token)
		}
		start = offset
	}
	size := pageSize
	if maxResults > 0 && maxResults < size {
		size = maxResults
	}
	end = min(start+size, total)
	if end < total {
		next = base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + strconv.Itoa(end)))
	}
	return start, end, next, nil
}
