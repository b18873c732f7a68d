package graphemu_test

import (
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func (v *env) caCount(t *testing.T, id string) int {
	t.Helper()
	r := v.do("GET", pkisPath+"/"+id+"/certificateAuthorities", nil)
	wantStatus(t, r, 200)
	list, _ := r.obj(t)["value"].([]any)
	return len(list)
}

func (v *env) pkiStatus(t *testing.T, id string) (status, lastModified string) {
	t.Helper()
	r := v.do("GET", pkisPath+"/"+id, nil)
	wantStatus(t, r, 200)
	m := r.obj(t)
	s, _ := m["status"].(string)
	l, _ := m["lastModifiedDateTime"].(string)
	return s, l
}

// The switches are off by default: a new PKI is visible at once and a job adds its CAs at its end.
func TestPKISwitchesDefaultsUnchanged(t *testing.T) {
	v := newEnv(t, graphemu.Options{UploadDuration: 30 * time.Second})
	id := v.createPKI("defaults")
	wantStatus(t, v.do("GET", pkisPath+"/"+id, nil), 200)
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(29 * time.Second)
	if n := v.caCount(t, id); n != 0 {
		t.Errorf("%d CAs before the job's end, want 0 (jobs are not progressive by default)", n)
	}
	v.clk.Advance(time.Second)
	if n := v.caCount(t, id); n != 2 {
		t.Errorf("%d CAs after the job, want 2", n)
	}
}

// Replica lag: a new PKI answers 404 on GET, its CA list and upload until the lag ends.
func TestPKIReplicaLag(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 10 * time.Second})
	id := v.createPKI("lagging")
	for _, r := range []reply{
		v.do("GET", pkisPath+"/"+id, nil),
		v.do("GET", pkisPath+"/"+id+"/certificateAuthorities", nil),
		v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256),
	} {
		wantError(t, r, 404, "Request_ResourceNotFound", id)
	}
	v.clk.Advance(10 * time.Second)
	wantStatus(t, v.do("GET", pkisPath+"/"+id, nil), 200)
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
}

// Stale reads: after an accepted upload, reads show the old final status and lastModifiedDateTime for a while.
func TestPKIStaleReadsAfterUpload(t *testing.T) {
	v := newEnv(t, graphemu.Options{UploadDuration: time.Minute})
	v.emu.SetPKISwitches(graphemu.PKISwitches{StaleReads: 20 * time.Second})
	id := v.createPKI("stale")
	_, before := v.pkiStatus(t, id)
	v.clk.Advance(time.Second)
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	if s, l := v.pkiStatus(t, id); s != graphemu.StatusSucceeded || l != before {
		t.Errorf("right after the upload: %s %s, want the stale succeeded %s", s, l, before)
	}
	v.clk.Advance(20 * time.Second)
	if s, _ := v.pkiStatus(t, id); s != graphemu.StatusRunning {
		t.Errorf("after the stale window: %s, want running", s)
	}
}

// Progressive jobs add the CAs one by one; a job set to fail after K CAs leaves exactly K behind.
func TestPKIProgressiveAndPartialJobs(t *testing.T) {
	v := newEnv(t, graphemu.Options{UploadDuration: time.Minute})
	v.emu.SetPKISwitches(graphemu.PKISwitches{ProgressiveJobs: true})
	id := v.createPKI("progressive")
	wantStatus(t, v.uploadP7B(id, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	for _, step := range []struct {
		advance time.Duration
		want    int
	}{{10 * time.Second, 0}, {15 * time.Second, 1}, {20 * time.Second, 2}} {
		v.clk.Advance(step.advance)
		if n := v.caCount(t, id); n != step.want {
			t.Errorf("after +%s: %d CAs, want %d", step.advance, n, step.want)
		}
	}
	if s, _ := v.pkiStatus(t, id); s != graphemu.StatusRunning {
		t.Errorf("status %s with every CA in but the job not over, want running", s)
	}

	partial := v.createPKI("partial")
	v.emu.FailNextJobAfter(partial, 1, graphemu.StatusFailed, "emulated failure")
	wantStatus(t, v.uploadP7B(partial, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(time.Minute)
	if s, _ := v.pkiStatus(t, partial); s != graphemu.StatusFailed {
		t.Errorf("partial job status %s, want failed", s)
	}
	if n := v.caCount(t, partial); n != 1 {
		t.Errorf("the partial job left %d CAs, want 1", n)
	}

	v.emu.SetPKISwitches(graphemu.PKISwitches{FailUploadJobs: 1, FailAfterCAs: 1})
	global := v.createPKI("global switch")
	wantStatus(t, v.uploadP7B(global, "contoso-pki.p7b", testfixtures.ContosoSHA256), 204)
	v.clk.Advance(time.Minute)
	if s, _ := v.pkiStatus(t, global); s != graphemu.StatusFailed || v.caCount(t, global) != 1 {
		t.Errorf("FailUploadJobs: status %s with %d CAs, want failed with 1", s, v.caCount(t, global))
	}
}
