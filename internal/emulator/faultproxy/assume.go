package faultproxy

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// maxAssumeRoleBody bounds how much of an sts:AssumeRole response the proxy
// reads. Real responses are under 4 KiB.
const maxAssumeRoleBody = 1 << 20

// learnAssumedRole is the reverse proxy's response hook. When a successful
// sts:AssumeRole* response passes through, it maps the returned access key
// to the account of the assumed role, which is what moto and AWS do.
func (p *Proxy) learnAssumedRole(resp *http.Response) error {
	call, ok := resp.Request.Context().Value(callKey{}).(*Call)
	if !ok || call.Service != "sts" || !strings.HasPrefix(call.Operation, "AssumeRole") || resp.StatusCode != http.StatusOK {
		return nil
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAssumeRoleBody))
	resp.Body.Close()
	// Hand the client what was read, also when reading failed midway.
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		p.logger.Warn("faultproxy: read AssumeRole response", "operation", call.Operation, "error", err)
		return nil
	}

	accessKeyID, roleARN := parseAssumeRole(body)
	account := accountOfARN(roleARN)
	if accessKeyID == "" || account == "" {
		p.logger.Warn("faultproxy: no credentials in AssumeRole response", "operation", call.Operation)
		return nil
	}
	p.accounts.Set(accessKeyID, account)
	p.logger.Debug("faultproxy: learn assumed-role key", "access_key_id", accessKeyID, "account", account)
	return nil
}

// parseAssumeRole returns Credentials/AccessKeyId and AssumedRoleUser/Arn of
// an sts:AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML
// response, whose result elements differ only in name.
func parseAssumeRole(body []byte) (accessKeyID, roleARN string) {
	decoder := xml.NewDecoder(bytes.NewReader(body))
	var stack []string
	for {
		token, err := decoder.Token()
		if err != nil {
			return accessKeyID, roleARN
		}
		switch t := token.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			n := len(stack)
			if n < 2 {
				continue
			}
			switch {
			case stack[n-2] == "Credentials" && stack[n-1] == "AccessKeyId":
				accessKeyID = strings.TrimSpace(string(t))
			case stack[n-2] == "AssumedRoleUser" && stack[n-1] == "Arn":
				roleARN = strings.TrimSpace(string(t))
			}
		}
	}
}

// accountOfARN returns the account field of an ARN
// (arn:partition:service:region:account:resource), or "" when arn is not
// one.
func accountOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}
