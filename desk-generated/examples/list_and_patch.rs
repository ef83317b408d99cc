//! Lists the active conversations of a Teamwork Desk site and patches one.
//!
//! ```text
//! DESK_SITE=yoursite DESK_TOKEN=your-api-key cargo run -p desk-generated --example list_and_patch
//! ```
//!
//! Environment:
//!
//! | variable | required | meaning |
//! |---|---|---|
//! | `DESK_SITE` | yes (unless `DESK_BASE_URL`) | the site name: `https://{DESK_SITE}.teamwork.com` |
//! | `DESK_TOKEN` | yes | an API key or OAuth2 access token, sent as a bearer token |
//! | `DESK_EU` | no | `1`: the site is hosted in the EU (`https://{DESK_SITE}.eu.teamwork.com`) |
//! | `DESK_BASE_URL` | no | any base URL instead of the site (a proxy, a local test server) |
//! | `DESK_CONVERSATION_ID` | no | the conversation to patch (default: the first one listed) |
//! | `DESK_SET_STATE` | no | the state to set, e.g. `deleted` (default: the conversation's current state, so the patch changes nothing) |
//!
//! Exit codes: `0` success, `1` the API call failed, `2` the configuration is missing or invalid.

use std::process::ExitCode;

use desk_generated::client::{Client, ListConversationsParams};
use desk_generated::models::{
    Conversation, ConversationFilter, ConversationOrderBy, ConversationState, OrderMode,
    StateFilter,
};
use desk_generated::requests::ConversationPatch;
use desk_generated::runtime::client::{Error, StreamExt};

/// How many conversations to print.
const SHOW: usize = 5;

/// What the example needs from the environment.
struct Config {
    target: Target,
    token: String,
    conversation_id: Option<i64>,
    set_state: Option<ConversationState>,
}

enum Target {
    Site { name: String, eu: bool },
    BaseUrl(String),
}

/// Reads the configuration; the error is a message for the user.
fn config_from_env() -> Result<Config, String> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut missing = Vec::new();
    let target = match (var("DESK_BASE_URL"), var("DESK_SITE")) {
        (Some(url), _) => Some(Target::BaseUrl(url)),
        (None, Some(name)) => Some(Target::Site {
            name,
            eu: var("DESK_EU").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
        }),
        (None, None) => {
            missing.push("DESK_SITE (your site name, as in https://DESK_SITE.teamwork.com)");
            None
        }
    };
    let token = var("DESK_TOKEN");
    if token.is_none() {
        missing.push("DESK_TOKEN (a Desk API key or OAuth2 access token)");
    }
    let (Some(target), Some(token)) = (target, token) else {
        return Err(format!(
            "missing environment variable{}: {}\n\nusage: DESK_SITE=yoursite DESK_TOKEN=your-api-key cargo run -p desk-generated --example list_and_patch\n       (DESK_EU=1 for a site hosted in the EU)",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    };
    let conversation_id = match var("DESK_CONVERSATION_ID") {
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| format!("DESK_CONVERSATION_ID must be an integer, got {text:?}"))?,
        ),
        None => None,
    };
    let set_state = var("DESK_SET_STATE").map(|s| ConversationState::from(s.as_str()));
    Ok(Config {
        target,
        token,
        conversation_id,
        set_state,
    })
}

fn show(conversation: &Conversation) -> String {
    format!(
        "#{} state={} token={} contact={} updated={}",
        conversation.id.map_or("?".to_owned(), |id| id.to_string()),
        conversation
            .state
            .as_ref()
            .map_or("?".to_owned(), |s| s.to_string()),
        conversation.token.as_deref().unwrap_or("-"),
        conversation
            .contact_id
            .map_or("-".to_owned(), |id| id.to_string()),
        conversation
            .updated_at
            .map_or("-".to_owned(), |t| t.to_rfc3339()),
    )
}

/// A readable line for an API error (400 validation messages in full).
fn describe<E: std::fmt::Debug>(error: &Error<E>) -> String {
    match error {
        Error::Api { status, body, .. } => {
            format!("the API refused the request ({status}): {body:?}")
        }
        Error::UnexpectedStatus {
            status, body_text, ..
        } if status.as_u16() == 401 || status.as_u16() == 403 => {
            format!("the API rejected the credentials ({status}); check DESK_TOKEN and DESK_SITE. {body_text}")
        }
        other => other.to_string(),
    }
}

/// Why the example stopped: the configuration (exit code 2) or the API (exit code 1).
enum Failure {
    Config(String),
    Api(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Api(message)
    }
}

async fn run(config: Config) -> Result<(), Failure> {
    let builder = match &config.target {
        Target::Site { name, eu: false } => Client::for_site(name),
        Target::Site { name, eu: true } => Client::for_eu_site(name),
        Target::BaseUrl(url) => Client::builder(url.as_str()),
    };
    let client = builder
        .bearer_token(config.token.as_str())
        .user_agent("desk-generated-example/list_and_patch")
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| Failure::Config(format!("cannot build the client: {e}")))?;
    println!("site: {}", client.api().base_url());

    // The first few active conversations, most recently updated first (one request per page).
    let params = ListConversationsParams::default()
        .filter(
            ConversationFilter::default()
                .state(StateFilter::default().eq(ConversationState::Active)),
        )
        .order_by(ConversationOrderBy::UpdatedAt)
        .order_mode(OrderMode::Desc)
        .page_size(SHOW as i32);
    let mut listed = Vec::new();
    let mut stream = std::pin::pin!(client.list_conversations_stream(params).take(SHOW));
    while let Some(item) = stream.next().await {
        let conversation =
            item.map_err(|e| format!("listing conversations failed: {}", describe(&e)))?;
        println!("  {}", show(&conversation));
        listed.push(conversation);
    }
    println!("listed {} active conversation(s)", listed.len());

    let target = match (config.conversation_id, listed.first()) {
        (Some(id), _) => listed
            .iter()
            .find(|c| c.id == Some(id))
            .cloned()
            .unwrap_or_else(|| Conversation::new().id(id)),
        (None, Some(first)) => first.clone(),
        (None, None) => {
            println!("nothing to patch");
            return Ok(());
        }
    };
    let id = target
        .id
        .ok_or_else(|| "the listed conversation has no id".to_owned())?;
    // Only `state` goes on the wire: {"conversation":{"state":"..."}}.
    let state = config
        .set_state
        .or(target.state)
        .unwrap_or(ConversationState::Active);
    let updated = client
        .update_conversation(id, ConversationPatch::new().state(state.clone()))
        .await
        .map_err(|e| format!("patching conversation #{id} failed: {}", describe(&e)))?;
    println!(
        "patched #{id} (state={state}): {}",
        show(&updated.conversation)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config_from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Config(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Api(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
