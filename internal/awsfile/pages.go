package awsfile

import "reflect"

// nextPageFields are output fields that tell a paginator to fetch another
// page. A response file holds every page the collector fetched (CloudMapper
// merges them), so these are cleared and SDK paginators stop after one call.
var nextPageFields = []string{
	"NextToken",
	"NextMarker",
	"Marker",
	"NextContinuationToken",
	"ContinuationToken",
	"NextPageToken",
	"PaginationToken",
	"IsTruncated",
	"Truncated",
}

// clearNextPage zeroes the next-page fields of out, a pointer to an output
// struct.
func clearNextPage(out reflect.Value) {
	v := out.Elem()
	for _, name := range nextPageFields {
		if f := v.FieldByName(name); f.IsValid() && f.CanSet() {
			f.SetZero()
		}
	}
}
