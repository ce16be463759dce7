//! Where `--paginate`'s pages come from: fetched one after another in the page loop's own thread,
//! or under `--parallel N` by up to N threads at once, the pages after the next one asked for
//! ahead of time where the walk can tell where they start ([`Walk::ahead`]).
//!
//! Either way the page loop gets the pages one by one, in the list's order, and writes each before
//! it asks for the next; a page asked for ahead waits, its body in memory, until its turn, so at
//! most N bodies are held. A page that the walk turns out not to need (the page before it held
//! fewer items than the one before that, so the list goes on elsewhere) is dropped unread.
//!
//! The threads share one token: the first to be refused it (401) fetches a new one while the
//! others that were refused wait for it and use it (a [`SharedBearer`], as `batch`'s lines do).
//! They share the connections (the clients are built before the first thread starts) and the pace
//! (`http::rate`): a rate is held across them all, and a 429 with `Retry-After` pauses them all.
//!
//! When the walk ends, pages still in flight are left to finish in their threads, and dropped:
//! the command does not wait for them, nor do they say anything more on stderr.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow, bail};
use reqwest::StatusCode;
use url::Url;

use super::bearer::{Bearer, Held, SharedBearer};
use super::failure::failure;
use crate::http::exchange::{
    Caller, Credential, HELD_LIMIT, Sender, Session, drain, read_at_most, unfollowed_redirect,
};
use crate::http::payload::Payload;
use crate::http::retry::RetryPolicy;
use crate::http::target::{resolve_target, set_query};
use crate::paging::Walk;

/// A page's body: `None` for 204 No Content.
pub type Body = Option<Vec<u8>>;

/// The page the walk is at, as the server answered it.
pub struct Fetched {
    /// The URL it was asked for at.
    pub url: Url,
    /// Its body, or why there is none (an error response after its retries, no response at all).
    pub body: Result<Body>,
}

/// The pages of one walk, in the walk's order.
pub struct Pages {
    /// The command's own URL, over whose query each page's position and size are set.
    first: Url,
    source: Source,
}

enum Source {
    /// One page after another, in this thread.
    Serial(Worker),
    /// Up to N pages at once, in threads of their own.
    Parallel(Pool),
}

impl Pages {
    /// The pages of a walk that starts at `sender`'s URL, `parallel` at once (1: one after
    /// another).
    pub fn new(
        bearer: Bearer,
        sender: Sender,
        retry: RetryPolicy,
        silent: bool,
        parallel: usize,
    ) -> Result<Pages> {
        let first = sender.url.clone();
        let crew = Crew {
            shared: Arc::new(Shared {
                bearer: SharedBearer::from_bearer(bearer),
                over: AtomicBool::new(false),
            }),
            retry,
            silent,
        };
        let source = if parallel > 1 {
            // Built now, so that every thread's sender shares it, its connections and (for https)
            // the roots it parsed.
            sender.clients.for_url(&first)?;
            Source::Parallel(Pool::new(crew, sender, parallel))
        } else {
            Source::Serial(crew.worker(sender))
        };
        Ok(Pages { first, source })
    }

    /// The page the walk is at. An error here is one of the walk's own (a `nextPath` that may not
    /// be followed); the page's own trouble is in [`Fetched::body`].
    pub fn next(&mut self, walk: &Walk) -> Result<Fetched> {
        match &mut self.source {
            Source::Serial(worker) => {
                let url = page_url(&self.first, walk, &worker.session.caller.shared)?;
                let body = worker.fetch(url.clone());
                Ok(Fetched { url, body })
            }
            Source::Parallel(pool) => Ok(pool.next(&self.first, walk)),
        }
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        let shared = match &self.source {
            Source::Serial(worker) => &worker.session.caller.shared,
            Source::Parallel(pool) => &pool.crew.shared,
        };
        shared.over.store(true, Ordering::Relaxed);
    }
}

/// The URL of the page the walk is at: the command's own with the walk's query, or a path the
/// server gave (checked against the profile's origins).
fn page_url(first: &Url, walk: &Walk, shared: &Shared) -> Result<Url> {
    if let Some(path) = walk.next_path() {
        let profile = &shared.bearer.profile;
        return resolve_target(
            &profile.name,
            path,
            profile.api_base.as_ref(),
            &profile.allowed_origins,
        );
    }
    let mut url = first.clone();
    set_query(&mut url, &walk.query());
    Ok(url)
}

/// What the threads of a walk share: the token, the progress line (the bearer's), and whether
/// the walk is over.
struct Shared {
    bearer: SharedBearer,
    /// The walk is over: pages still in flight say nothing more.
    over: AtomicBool,
}

/// One thread's side of the shared token ([`Caller`] for its exchanges).
struct PageCaller {
    shared: Arc<Shared>,
    /// The token this thread's requests carry.
    token: Held,
}

impl PageCaller {
    fn new(shared: Arc<Shared>) -> PageCaller {
        let token = shared.bearer.held();
        PageCaller { shared, token }
    }
}

impl Caller for PageCaller {
    fn token(&self) -> Option<Credential<'_>> {
        self.token.credential()
    }

    fn reject_token(&mut self) {
        self.token.reject(&self.shared.bearer);
    }

    fn renew_token(&mut self) -> Result<()> {
        // Threads refused the same token wait in there for the one that fetches the next.
        self.token.renew(&self.shared.bearer)
    }

    fn say(&self, message: &str) {
        if !self.shared.over.load(Ordering::Relaxed) {
            self.shared
                .bearer
                .progress
                .suspend(|| eprintln!("{message}"));
        }
    }
}

/// What it takes to make a thread's worker.
struct Crew {
    shared: Arc<Shared>,
    retry: RetryPolicy,
    silent: bool,
}

impl Crew {
    fn worker(&self, sender: Sender) -> Worker {
        Worker {
            session: Session::new(
                PageCaller::new(self.shared.clone()),
                self.retry,
                self.silent,
            ),
            sender,
        }
    }
}

/// Fetches pages, one at a time.
struct Worker {
    session: Session<PageCaller>,
    sender: Sender,
}

impl Worker {
    /// The body of the page at `url`: of a 2xx response, `None` for 204 No Content. An error
    /// response is a failure with the exit code a single call would have, and is always reported
    /// (even under `-s`): the items written so far are not the whole list, and only stderr says
    /// where to resume.
    fn fetch(&mut self, url: Url) -> Result<Body> {
        self.sender.url = url;
        let session = &mut self.session;
        let mut outcome = session.exchange(&mut self.sender)?;
        let status = outcome.exchange.response.status();
        if status.as_u16() >= 400 {
            let body = drain(&mut outcome.exchange.response);
            let token = session.caller.token.0.as_deref();
            return Err(failure(token, &outcome, &body, false).into());
        }
        if !self.sender.follow
            && let Some(note) = unfollowed_redirect(&outcome.exchange)
        {
            bail!(note);
        }
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let what = outcome.exchange.what();
        match read_at_most(&mut outcome.exchange.response, HELD_LIMIT, &what)? {
            Some(body) => Ok(Some(body)),
            None => bail!(
                "{what} answered a page of more than {} MiB (decoded), more than oauthctl holds in memory for one page\nhint: ask for smaller pages, with the list's page size in a -q (limit, pagelength, count or pageSize)",
                HELD_LIMIT >> 20
            ),
        }
    }
}

/// A page asked for by a thread of the pool.
struct Job {
    url: Url,
    reply: SyncSender<Result<Body>>,
    /// The walk will not need it: not to be sent, if it was not yet.
    dropped: Arc<AtomicBool>,
}

/// A page asked for, waited for in order.
struct Queued {
    position: u64,
    url: Url,
    reply: Receiver<Result<Body>>,
    dropped: Arc<AtomicBool>,
}

/// Up to N threads, each fetching one page at a time, started as pages are asked for.
struct Pool {
    crew: Crew,
    /// What each thread's sender is a clone of.
    sender: Sender,
    /// Where the pages asked for go; the threads take them from `jobs_out`.
    jobs: mpsc::Sender<Job>,
    jobs_out: Arc<Mutex<Receiver<Job>>>,
    threads: usize,
    size: usize,
    /// The pages asked for, in the order the walk will want them; never more than `size`.
    queued: VecDeque<Queued>,
}

impl Pool {
    fn new(crew: Crew, sender: Sender, size: usize) -> Pool {
        let (jobs, jobs_out) = mpsc::channel();
        Pool {
            crew,
            sender,
            jobs,
            jobs_out: Arc::new(Mutex::new(jobs_out)),
            threads: 0,
            size,
            queued: VecDeque::new(),
        }
    }

    /// The page the walk is at, once the pages after it that the walk can foresee are asked for
    /// too (up to the pool's size in all).
    fn next(&mut self, first: &Url, walk: &Walk) -> Fetched {
        let wanted = walk.ahead(self.size);
        // The pages asked for earlier are kept as long as they are the ones now foreseen.
        let kept = self
            .queued
            .iter()
            .zip(&wanted)
            .take_while(|(queued, position)| queued.position == **position)
            .count();
        for unwanted in self.queued.drain(kept..) {
            unwanted.dropped.store(true, Ordering::Relaxed);
        }
        for &position in &wanted[kept..] {
            let mut url = first.clone();
            set_query(&mut url, &walk.query_at(position));
            self.ask(position, url);
        }
        let Some(page) = self.queued.pop_front() else {
            // Only a numbered walk comes here, and its next page is always foreseen.
            return Fetched {
                url: first.clone(),
                body: Err(anyhow!("the walk has no next page to ask for")),
            };
        };
        let body = page.reply.recv().unwrap_or_else(|_| {
            Err(anyhow!(
                "the thread fetching GET {} stopped without an answer",
                page.url
            ))
        });
        Fetched {
            url: page.url,
            body,
        }
    }

    fn ask(&mut self, position: u64, url: Url) {
        if self.threads < self.size {
            self.start_thread();
        }
        // One answer each, kept until the walk takes it: a thread never waits to hand it over.
        let (reply, answer) = mpsc::sync_channel(1);
        let dropped = Arc::new(AtomicBool::new(false));
        let job = Job {
            url: url.clone(),
            reply,
            dropped: dropped.clone(),
        };
        // The threads end only when `jobs` is dropped, with the pool.
        let _ = self.jobs.send(job);
        self.queued.push_back(Queued {
            position,
            url,
            reply: answer,
            dropped,
        });
    }

    fn start_thread(&mut self) {
        let sender = Sender {
            clients: self.sender.clients.clone(),
            method: self.sender.method.clone(),
            url: self.sender.url.clone(),
            headers: self.sender.headers.clone(),
            // `--paginate` sends GETs without a body.
            payload: Payload::Empty,
            follow: self.sender.follow,
            verbose: self.sender.verbose,
            include: self.sender.include,
            limiter: self.sender.limiter.clone(),
        };
        let mut worker = self.crew.worker(sender);
        let jobs = self.jobs_out.clone();
        // Not joined: a page still in flight when the walk ends is not waited for.
        std::thread::spawn(move || {
            loop {
                let job = jobs
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .recv();
                let Ok(job) = job else {
                    return;
                };
                if job.dropped.load(Ordering::Relaxed) {
                    continue;
                }
                let _ = job.reply.send(worker.fetch(job.url));
            }
        });
        self.threads += 1;
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for page in &self.queued {
            page.dropped.store(true, Ordering::Relaxed);
        }
    }
}
