package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// connectorFlags are the emulator switches for real Graph's behaviours on the API-connector side (and the faults,
// which apply to any route). Defaults leave the emulator as documented.
type connectorFlags struct {
	rejectPBES2 bool
	refuseBasic bool
	lag         time.Duration
	faults      faultFlag
}

func addConnectorFlags(fs *flag.FlagSet) *connectorFlags {
	f := &connectorFlags{}
	fs.BoolVar(&f.rejectPBES2, "reject-pbes2", false,
		"answer PFX files encrypted with AES (PBES2) as Azure AD B2C does: 400 "+graphemu.CodePBES2Rejected+" \""+graphemu.MessagePBES2Rejected+"\"")
	fs.BoolVar(&f.refuseBasic, "refuse-uploads-on-basic-auth", false,
		"refuse uploadClientCertificate onto a connector on basic authentication (PATCH with a pkcs12Certificate switches it)")
	fs.DurationVar(&f.lag, "read-after-write-lag", 0,
		"hide new connectors, PKIs and uploaded certificates from reads for this long after the write (replica lag)")
	fs.Var(&f.faults, "fault",
		"scripted fault, repeatable: STATUS[,retry-after=SECONDS][,count=N][,method=M][,path=PATTERN], e.g. "+
			"429,retry-after=2,count=2,method=POST,path=/identity/apiConnectors/*/uploadClientCertificate (no path: any route)")
	return f
}

// options sets what Options carries.
func (f *connectorFlags) options(o *graphemu.Options) {
	o.RejectPBES2 = f.rejectPBES2
	o.RefuseUploadsOnBasicAuth = f.refuseBasic
}

// apply sets what the emulator's methods carry.
func (f *connectorFlags) apply(emu *graphemu.Emulator) error {
	if f.lag < 0 {
		return errors.New("-read-after-write-lag must not be negative")
	}
	emu.SetReadAfterWriteLag(f.lag)
	for _, fault := range f.faults {
		emu.AddFault(fault)
	}
	return nil
}

// faultFlag collects -fault values.
type faultFlag []graphemu.Fault

func (f *faultFlag) String() string { return fmt.Sprintf("%d fault(s)", len(*f)) }

func (f *faultFlag) Set(v string) error {
	parts := strings.Split(v, ",")
	status, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || status < 400 || status > 599 {
		return fmt.Errorf("%q: a fault starts with an HTTP error status (400-599)", v)
	}
	fault := graphemu.Fault{Status: status}
	for _, kv := range parts[1:] {
		k, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return fmt.Errorf("%q: %q is not key=value", v, kv)
		}
		switch k {
		case "retry-after":
			if _, err := strconv.Atoi(val); err != nil {
				return fmt.Errorf("%q: retry-after must be whole seconds", v)
			}
			fault.RetryAfter = val
		case "count":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return fmt.Errorf("%q: count must be a positive number", v)
			}
			fault.Count = n
		case "method":
			fault.Method = strings.ToUpper(val)
		case "path":
			fault.Path = val
		default:
			return fmt.Errorf("%q: unknown key %q (retry-after, count, method, path)", v, k)
		}
	}
	*f = append(*f, fault)
	return nil
}
