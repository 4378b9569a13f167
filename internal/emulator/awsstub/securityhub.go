package awsstub

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// maxRequestBody bounds the GetEnabledStandards request body the stub reads.
const maxRequestBody = 1 << 20

type describeHubResponse struct {
	HubARN                  string `json:"HubArn"`
	SubscribedAt            string `json:"SubscribedAt"`
	AutoEnableControls      bool   `json:"AutoEnableControls"`
	ControlFindingGenerator string `json:"ControlFindingGenerator,omitempty"`
}

type getEnabledStandardsRequest struct {
	StandardsSubscriptionArns []string `json:"StandardsSubscriptionArns"`
	NextToken                 string   `json:"NextToken"`
	MaxResults                int      `json:"MaxResults"`
}

type getEnabledStandardsResponse struct {
	StandardsSubscriptions []standardsSubscription `json:"StandardsSubscriptions"`
	NextToken              string                  `json:"NextToken,omitempty"`
}

type standardsSubscription struct {
	StandardsSubscriptionARN   string                 `json:"StandardsSubscriptionArn"`
	StandardsARN               string                 `json:"StandardsArn"`
	StandardsInput             map[string]string      `json:"StandardsInput"`
	StandardsStatus            string                 `json:"StandardsStatus"`
	StandardsStatusReason      *standardsStatusReason `json:"StandardsStatusReason,omitempty"`
	StandardsControlsUpdatable string                 `json:"StandardsControlsUpdatable,omitempty"`
}

type standardsStatusReason struct {
	StatusReasonCode string `json:"StatusReasonCode"`
}

// notSubscribed rejects a Security Hub call in a region without a hub.
func (s *Server) notSubscribed(w http.ResponseWriter, r *http.Request, account, region string) {
	s.reject(w, r, http.StatusUnauthorized, "InvalidAccessException",
		fmt.Sprintf("Account %s is not subscribed to AWS Security Hub in %s", account, region))
}

// describeHub serves GET /accounts?HubArn=.
func (s *Server) describeHub(w http.ResponseWriter, r *http.Request, account, region string) {
	hub := s.data(account, region).Hub
	if hub == nil {
		s.notSubscribed(w, r, account, region)
		return
	}
	if arn := r.URL.Query().Get("HubArn"); arn != "" && arn != hub.HubARN {
		s.reject(w, r, http.StatusNotFound, "ResourceNotFoundException", fmt.Sprintf("Hub %s not found", arn))
		return
	}
	s.writeJSON(w, describeHubResponse{
		HubARN:                  hub.HubARN,
		SubscribedAt:            formatTime(hub.SubscribedAt),
		AutoEnableControls:      hub.AutoEnableControls,
		ControlFindingGenerator: hub.ControlFindingGenerator,
	})
}

// getEnabledStandards serves POST /standards/get.
func (s *Server) getEnabledStandards(w http.ResponseWriter, r *http.Request, account, region string) {
	data := s.data(account, region)
	if data.Hub == nil {
		s.notSubscribed(w, r, account, region)
		return
	}

	var req getEnabledStandardsRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, "InvalidInputException", "read request body: "+err.Error())
		return
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			s.reject(w, r, http.StatusBadRequest, "InvalidInputException", "parse request body: "+err.Error())
			return
		}
	}
	if req.MaxResults < 0 {
		s.reject(w, r, http.StatusBadRequest, "InvalidInputException", fmt.Sprintf("invalid MaxResults %d: want a positive integer", req.MaxResults))
		return
	}

	selected := make(map[string]bool, len(req.StandardsSubscriptionArns))
	for _, arn := range req.StandardsSubscriptionArns {
		selected[arn] = true
	}
	var matched []StandardsSubscription
	for _, sub := range data.Standards {
		if len(selected) == 0 || selected[sub.StandardsSubscriptionARN] {
			matched = append(matched, sub)
		}
	}
	start, end, next, err := page(len(matched), req.NextToken, req.MaxResults, s.pageSize)
	if err != nil {
		s.reject(w, r, http.StatusBadRequest, "InvalidInputException", err.Error())
		return
	}

	resp := getEnabledStandardsResponse{StandardsSubscriptions: []standardsSubscription{}, NextToken: next}
	for _, sub := range matched[start:end] {
		out := standardsSubscription{
			StandardsSubscriptionARN:   sub.StandardsSubscriptionARN,
			StandardsARN:               sub.StandardsARN,
			StandardsInput:             sub.StandardsInput,
			StandardsStatus:            sub.StandardsStatus,
			StandardsControlsUpdatable: sub.StandardsControlsUpdatable,
		}
		if out.StandardsInput == nil {
			out.StandardsInput = map[string]string{}
		}
		if sub.StandardsStatusReasonCode != "" {
			out.StandardsStatusReason = &standardsStatusReason{StatusReasonCode: sub.StandardsStatusReasonCode}
		}
		resp.StandardsSubscriptions = append(resp.StandardsSubscriptions, out)
	}
	s.writeJSON(w, resp)
}
