package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// benchCAs is how many CAs scenario 7 deletes and adds again: Graph's maximum per upload.
const benchCAs = 250

// Scenario 6: delete 250 CAs of a PKI and add them again, through the Graph layer the provider uses, once with
// JSON batching (DeleteCertificateAuthorities / CreateCertificateAuthorities, 20 per $batch) and once one request
// per CA, with the same latency per HTTP request. Batch items pay no latency of their own: Graph runs the items of
// a batch without dependsOn concurrently.
func (b *bench) caBatching() result {
	r := result{Scenario: "7 delete and re-add 250 CAs (batched vs one by one)"}
	e, err := newEnv(graphemu.Options{})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer e.srv.Close()
	cas, err := benchCertificateAuthorities(benchCAs)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	p, err := e.graph.CreatePKI(background, "bench CAs")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	if err := firstError(e.graph.CreateCertificateAuthorities(background, p.ID, cas)); err != nil {
		r.Error = "seeding: " + err.Error()
		return r
	}
	e.emu.SetLatency(b.latency)

	r.Requests = map[string]int{}
	r.Extra = map[string]any{}
	measure := func(label string, f func() error) bool {
		e.emu.ResetJournal()
		start := time.Now()
		err := f()
		took := time.Since(start)
		j := e.emu.Journal()
		batches, items := 0, 0
		for _, en := range j {
			if en.Path == "/$batch" {
				batches++
			} else if strings.Contains(en.Path, "/certificateAuthorities") && en.Method != "GET" {
				items++
			}
		}
		// HTTP requests on the wire: batch items travel inside their batch.
		if batches == 0 {
			r.Requests[label+"_http"] = len(j)
		} else {
			r.Requests[label+"_http"] = len(j) - items
		}
		r.Requests[label+"_cas"] = items
		r.Extra[label+"_wall"] = took.Round(time.Millisecond).String()
		if err != nil {
			r.Error = label + ": " + err.Error()
			return false
		}
		return true
	}
	ids := func() ([]string, error) {
		list, err := e.graph.ListCertificateAuthorities(background, p.ID)
		if err != nil {
			return nil, err
		}
		if len(list) != benchCAs {
			return nil, fmt.Errorf("the PKI has %d CAs, want %d", len(list), benchCAs)
		}
		out := make([]string, len(list))
		for i, ca := range list {
			out[i] = ca.ID
		}
		return out, nil
	}

	start := time.Now()
	batchedOK := measure("batched_delete", func() error {
		list, err := ids()
		if err != nil {
			return err
		}
		return firstErr(e.graph.DeleteCertificateAuthorities(background, p.ID, list))
	}) && measure("batched_add", func() error { return firstError(e.graph.CreateCertificateAuthorities(background, p.ID, cas)) })
	batched := time.Since(start)
	if !batchedOK {
		return r
	}
	start = time.Now()
	singleOK := measure("single_delete", func() error {
		list, err := ids()
		if err != nil {
			return err
		}
		for _, id := range list {
			if err := e.graph.DeleteCertificateAuthority(background, p.ID, id); err != nil {
				return err
			}
		}
		return nil
	}) && measure("single_add", func() error {
		for _, ca := range cas {
			if _, err := e.graph.CreateCertificateAuthority(background, p.ID, ca); err != nil {
				return err
			}
		}
		return nil
	})
	single := time.Since(start)
	if !singleOK {
		return r
	}
	if _, err := ids(); err != nil {
		r.Error = err.Error()
		return r
	}
	r.Wall = batched.Round(time.Millisecond).String()
	r.WallMS = batched.Milliseconds()
	r.Extra["one_by_one_wall"] = single.Round(time.Millisecond).String()
	r.Extra["speed-up"] = fmt.Sprintf("%.1fx", single.Seconds()/batched.Seconds())
	r.OK = true
	return r
}

func firstError(rs []graph.CACreateResult) error {
	for _, x := range rs {
		if x.Err != nil {
			return x.Err
		}
	}
	return nil
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// benchCertificateAuthorities makes n self-signed EC CA certificates.
func benchCertificateAuthorities(n int) ([]graph.NewCertificateAuthority, error) {
	out := make([]graph.NewCertificateAuthority, 0, n)
	now := time.Now()
	for i := range n {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: fmt.Sprintf("bench CA %d", i+1)},
			NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return nil, err
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		out = append(out, graph.NewCertificateAuthority{Certificate: der, Thumbprint: pkcs.Thumbprint(der),
			ExpirationDateTime: cert.NotAfter, IsRoot: true})
	}
	return out, nil
}
