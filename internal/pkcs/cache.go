package pkcs

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
)

// CacheSize is how many distinct inputs a CertificateCache remembers: more than a PKI's 250 CAs and a bundle or
// two, at most a few MB (a CA is at most 8 KB).
const CacheSize = 1024

// CertificateCache remembers what ParseCertificate and ParseCertificateBundle made of the same bytes, so one
// process parses each distinct certificate once however many times a plan and an apply ask (the validator, the
// plan, the create and the state model of a CA resource each need its facts). The facts are a pure function of the
// bytes, keyed by their SHA-256, and shared: callers must not change what they get (DER included). The zero value
// is ready to use and safe for concurrent use; past CacheSize inputs it forgets one to make room.
type CertificateCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]cacheEntry
	parses  atomic.Int64
}

type cacheEntry struct {
	bundle bool
	ca     CertificateAuthority
	cas    []CertificateAuthority
	err    error
}

// ParseCertificate is ParseCertificate(data), parsed once per distinct data. A nil cache parses every time.
func (c *CertificateCache) ParseCertificate(data []byte) (CertificateAuthority, error) {
	if c == nil {
		return ParseCertificate(data)
	}
	key := cacheKey(false, data)
	if e, ok := c.get(key); ok {
		return e.ca, e.err
	}
	c.parses.Add(1)
	ca, err := ParseCertificate(data)
	c.put(key, cacheEntry{ca: ca, err: err})
	return ca, err
}

// ParseCertificateBundle is ParseCertificateBundle(data), parsed once per distinct data. The slice is the caller's
// own; the facts in it are shared. A nil cache parses every time.
func (c *CertificateCache) ParseCertificateBundle(data []byte) ([]CertificateAuthority, error) {
	if c == nil {
		return ParseCertificateBundle(data)
	}
	key := cacheKey(true, data)
	if e, ok := c.get(key); ok {
		return append([]CertificateAuthority(nil), e.cas...), e.err
	}
	c.parses.Add(1)
	cas, err := ParseCertificateBundle(data)
	c.put(key, cacheEntry{bundle: true, cas: cas, err: err})
	return append([]CertificateAuthority(nil), cas...), err
}

// Parses is how many times the cache has parsed (inputs it had not seen, or had forgotten).
func (c *CertificateCache) Parses() int64 { return c.parses.Load() }

// cacheKey keeps a bundle and a certificate of the same bytes apart (one DER certificate reads as both).
func cacheKey(bundle bool, data []byte) [sha256.Size]byte {
	h := sha256.New()
	if bundle {
		h.Write([]byte{1})
	} else {
		h.Write([]byte{0})
	}
	h.Write(data)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (c *CertificateCache) get(key [sha256.Size]byte) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e, ok
}

func (c *CertificateCache) put(key [sha256.Size]byte, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[[sha256.Size]byte]cacheEntry{}
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= CacheSize {
		for k := range c.entries { // forget one: any will do, since a parse is cheap next to Terraform's own work
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = e
}

// Len is how many inputs the cache remembers now.
func (c *CertificateCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
