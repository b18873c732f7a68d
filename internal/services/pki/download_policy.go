package pki

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// downloadPolicy decides which addresses the pre-flight download may connect to: only those Microsoft Graph could
// reach from the internet. Loopback is allowed only when graph_endpoint itself is a loopback emulator.
type downloadPolicy struct {
	AllowLoopback bool
}

type downloadPolicyKey struct{}

// withDownloadPolicy makes fetchBundle apply p to downloads made with ctx.
func withDownloadPolicy(ctx context.Context, p downloadPolicy) context.Context {
	return context.WithValue(ctx, downloadPolicyKey{}, p)
}

// downloadPolicyFor is the policy of a configured provider.
func downloadPolicyFor(c *clients.Client) downloadPolicy {
	return downloadPolicy{AllowLoopback: c != nil && c.AllowLoopbackDownloads}
}

var (
	loopbackEndpointsMu sync.Mutex
	loopbackEndpoints   = map[string]bool{}
)

// AllowLoopbackDownloadsFrom records that a provider in this process talks to a loopback Graph emulator at
// hostport (host:port): a download without an explicit policy (withDownloadPolicy) may then connect to that
// address, where the emulator serves the test's files, and to no other loopback address.
func AllowLoopbackDownloadsFrom(hostport string) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return
	}
	loopbackEndpointsMu.Lock()
	defer loopbackEndpointsMu.Unlock()
	if strings.EqualFold(host, "localhost") {
		loopbackEndpoints[net.JoinHostPort("127.0.0.1", port)] = true
		loopbackEndpoints[net.JoinHostPort("::1", port)] = true
		return
	}
	if a, err := netip.ParseAddr(host); err == nil {
		loopbackEndpoints[net.JoinHostPort(a.Unmap().String(), port)] = true
	}
}

func registeredLoopback(addrPort netip.AddrPort) bool {
	loopbackEndpointsMu.Lock()
	defer loopbackEndpointsMu.Unlock()
	return loopbackEndpoints[net.JoinHostPort(addrPort.Addr().Unmap().String(), fmt.Sprint(addrPort.Port()))]
}

// downloadPolicyFrom is ctx's policy; without one, loopback is allowed only to registered emulator addresses.
func downloadPolicyFrom(ctx context.Context) downloadPolicy {
	if p, ok := ctx.Value(downloadPolicyKey{}).(downloadPolicy); ok {
		return p
	}
	return downloadPolicy{}
}

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	benchmark = netip.MustParsePrefix("198.18.0.0/15") // RFC 2544, not routed on the internet
)

// refusedReason says why Graph could never reach ip ("" when it could).
func refusedReason(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsLinkLocalUnicast():
		if ip == netip.MustParseAddr("169.254.169.254") {
			return "the link-local cloud metadata address"
		}
		return "a link-local address"
	case ip.IsPrivate():
		return "a private address"
	case cgnat.Contains(ip):
		return "a carrier-grade NAT (100.64.0.0/10) address"
	case benchmark.Contains(ip):
		return "a benchmarking (198.18.0.0/15) address"
	case ip.IsUnspecified():
		return "the unspecified address"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip == netip.MustParseAddr("255.255.255.255"):
		return "the broadcast address"
	}
	return ""
}

// refusedAddressError is a connection the policy refused before it was made.
type refusedAddressError struct {
	Addr   netip.Addr
	Reason string
}

func (e *refusedAddressError) Error() string {
	return fmt.Sprintf("%s is %s, which Microsoft Graph cannot reach", e.Addr, e.Reason)
}

// allows reports whether the policy lets the download connect to addrPort: nil, or why not.
func (p downloadPolicy) allows(addrPort netip.AddrPort) *refusedAddressError {
	ip := addrPort.Addr().Unmap()
	reason := refusedReason(ip)
	if reason == "" {
		return nil
	}
	if ip.IsLoopback() && (p.AllowLoopback || registeredLoopback(addrPort)) {
		return nil
	}
	return &refusedAddressError{Addr: ip, Reason: reason}
}

// checkLiteral refuses a URL whose host is an IP address the policy refuses, before anything is dialled. A host
// name is checked after resolution, at connect time (control).
func (p downloadPolicy) checkLiteral(u *url.URL) *refusedAddressError {
	ip, ok := literalIP(u.Hostname())
	if !ok {
		return nil
	}
	port := uint16(80)
	if u.Scheme == "https" {
		port = 443
	}
	if n, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		port = uint16(n)
	}
	return p.allows(netip.AddrPortFrom(ip, port))
}

func literalIP(host string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return ip, err == nil
}

// control runs after DNS resolution, before connect: the address actually dialled is checked.
func (p downloadPolicy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("unexpected address %q", address)
	}
	if refused := p.allows(ap); refused != nil {
		return refused
	}
	return nil
}

// client is an HTTP client that connects only where p allows, on every redirect hop too. It uses no proxy:
// a proxy would connect on the provider's behalf to addresses this check cannot see.
func (p downloadPolicy) client() *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, Control: p.control}
	return &http.Client{
		Timeout: downloadTimeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConns:          1,
			IdleConnTimeout:       time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to %q, which is not http or https", safeURL(req.URL))
			}
			if refused := p.checkLiteral(req.URL); refused != nil {
				return &redirectRefusedError{to: req.URL, err: refused}
			}
			return nil
		},
	}
}

type redirectRefusedError struct {
	to  *url.URL
	err *refusedAddressError
}

func (e *redirectRefusedError) Error() string {
	return "redirected to " + safeURL(e.to) + ": " + e.err.Error()
}
func (e *redirectRefusedError) Unwrap() error { return e.err }

// refusedInput is the plan-time diagnostic for a refused address.
func refusedInput(attr path.Path, u *url.URL, err error) error {
	var refused *refusedAddressError
	errors.As(err, &refused)
	name := attr.String()
	where := name + " " + safeURL(u)
	var redirect *redirectRefusedError
	if errors.As(err, &redirect) {
		where += " redirects to " + safeURL(redirect.to)
	}
	return &inputError{attr, "Cannot download " + name,
		fmt.Sprintf("%s, which leads to %s: %s. Microsoft Graph downloads the file from the internet and can never reach "+
			"such an address, so the provider does not connect to it either (no request was sent to it). Publish the .p7b at a "+
			"public http or https URL, for instance a storage account blob URL with a SAS token.",
			where, refused.Addr, refused.Reason)}
}
