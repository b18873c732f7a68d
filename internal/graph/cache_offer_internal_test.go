package graph

import (
	"context"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// A list's answer is kept only when no write happened while the list ran.
func TestReadCacheOffer(t *testing.T) {
	rc := newReadCache(0, clock.Real{}, clonePKI)
	fetched := 0
	fetch := func(context.Context) (*PKI, error) { fetched++; return &PKI{ID: "a", DisplayName: "fetched"}, nil }

	since := rc.writes()
	rc.offer("a", &PKI{ID: "a", DisplayName: "listed"}, since)
	if p, _ := rc.get(t.Context(), "a", false, fetch); p.DisplayName != "listed" || fetched != 0 {
		t.Errorf("after an offer with no write: %q, %d fetches; want the listed one and none", p.DisplayName, fetched)
	}

	since = rc.writes()
	rc.invalidate("b") // a write of another object while the list ran
	rc.offer("c", &PKI{ID: "c", DisplayName: "listed"}, since)
	fetchC := func(context.Context) (*PKI, error) { fetched++; return &PKI{ID: "c", DisplayName: "fetched"}, nil }
	if p, _ := rc.get(t.Context(), "c", false, fetchC); p.DisplayName != "fetched" || fetched != 1 {
		t.Errorf("after an offer that crossed a write: %q, %d fetches; want a fetch", p.DisplayName, fetched)
	}

	never := newReadCache(-1, clock.Real{}, clonePKI)
	never.offer("a", &PKI{ID: "a", DisplayName: "listed"}, never.writes())
	if p, _ := never.get(t.Context(), "a", false, fetch); p.DisplayName != "fetched" {
		t.Errorf("a cache with a negative TTL kept an offer: %q", p.DisplayName)
	}
}
