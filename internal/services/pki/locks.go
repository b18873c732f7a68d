package pki

import (
	"context"
	"errors"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
)

// lockPKI serializes writes to one PKI within the provider; it gives up when ctx ends.
func lockPKI(ctx context.Context, locks *clients.KeyedMutex, pkiID string) (func(), error) {
	if locks == nil {
		return func() {}, nil
	}
	unlock, err := locks.Lock(ctx, "pki/"+strings.ToLower(pkiID))
	if err != nil {
		return nil, errors.New("stopped while waiting for another change to the same PKI in this run: " + err.Error())
	}
	return unlock, nil
}
