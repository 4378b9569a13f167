package azure

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// World is the content the emulator serves. See the package comment for
// the JSON form.
type World struct {
	TenantID         string                     `json:"tenantId"`
	Subscriptions    []Subscription             `json:"subscriptions"`
	ManagementGroups []ManagementGroup          `json:"managementGroups,omitempty"`
	Resources        []json.RawMessage          `json:"resources"`
	Responses        map[string]json.RawMessage `json:"responses,omitempty"`
	Errors           map[string]ErrorResponse   `json:"errors,omitempty"`
}

// Subscription is one subscription of the world.
type Subscription struct {
	SubscriptionID string            `json:"subscriptionId"`
	DisplayName    string            `json:"displayName"`
	State          string            `json:"state,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	// Denied makes every request that touches the subscription, except
	// the subscription list, respond with 403 AuthorizationFailed.
	Denied bool `json:"denied,omitempty"`
}

// ManagementGroup is one management group; Parent names its parent group.
type ManagementGroup struct {
	Name          string   `json:"name"`
	DisplayName   string   `json:"displayName,omitempty"`
	Parent        string   `json:"parent,omitempty"`
	Subscriptions []string `json:"subscriptions,omitempty"`
}

// ErrorResponse is an ARM error response for one path.
type ErrorResponse struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// resource is the part of a world resource that the emulator reads.
type resource struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// LoadWorld reads a world file.
func LoadWorld(path string) (*World, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read Azure world file: %w", err)
	}
	return ParseWorld(b)
}

// ParseWorld parses and checks a world document.
func ParseWorld(b []byte) (*World, error) {
	var w World
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("parse Azure world: %w", err)
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return &w, nil
}

// Validate checks that every resource has an id and a type and belongs to
// a subscription of the world, and that management groups form a tree.
func (w *World) Validate() error {
	subs := map[string]bool{}
	for _, s := range w.Subscriptions {
		if s.SubscriptionID == "" {
			return fmt.Errorf("azure world: a subscription has no subscriptionId")
		}
		subs[strings.ToLower(s.SubscriptionID)] = true
	}
	for i, raw := range w.Resources {
		var r resource
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("azure world: resource %d: %w", i, err)
		}
		if r.ID == "" || r.Type == "" {
			return fmt.Errorf("azure world: resource %d has no id or no type: both are required", i)
		}
		if sub := subscriptionOf(r.ID); !subs[sub] {
			return fmt.Errorf("azure world: resource %s: subscription %q is not in subscriptions", r.ID, sub)
		}
	}
	groups := map[string]string{}
	for _, g := range w.ManagementGroups {
		if g.Name == "" {
			return fmt.Errorf("azure world: a management group has no name")
		}
		groups[g.Name] = g.Parent
	}
	for name := range groups {
		seen := map[string]bool{}
		for at := name; at != ""; at = groups[at] {
			if seen[at] {
				return fmt.Errorf("azure world: management group %s is its own ancestor", name)
			}
			seen[at] = true
			if _, ok := groups[at]; !ok {
				return fmt.Errorf("azure world: management group %s has parent %s, which is not defined", name, at)
			}
		}
	}
	return nil
}

// subscriptionOf returns the lower-cased subscription id in an ARM id.
func subscriptionOf(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) >= 2 && strings.EqualFold(parts[0], "subscriptions") {
		return strings.ToLower(parts[1])
	}
	return ""
}
