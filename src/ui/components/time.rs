//! Playback: play/pause, speed, a step to the controller's next action, and the timeline
//! scrubber that rewinds to any past moment (replayed exactly from the session's commands).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::i18n::{Lang, T};
use crate::ui::state::{Action, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct TimeProps {
    pub lang: Lang,
    pub playing: bool,
    pub speed: f64,
    pub now_ms: u64,
    pub head_ms: u64,
    pub quiet: bool,
    pub act: Callback<Action>,
}

/// `75.3 s` or `2 min 05.0 s`: the seconds rounded to tenths as `{:.1}` of `ms / 1000.0` would
/// round them, without pulling core's float formatting (~7 KB of download) into the wasm.
pub fn clock(ms: u64) -> String {
    let secs = ms as f64 / 1000.0;
    if secs < 60.0 {
        let t = tenths(secs);
        format!("{}.{} s", t / 10, t % 10)
    } else {
        let m = (secs / 60.0).floor();
        let t = tenths(secs - m * 60.0);
        format!("{} min {:02}.{} s", m as u64, t / 10, t % 10)
    }
}

/// A finite `x >= 0` times ten, rounded to the nearest integer (ties to even) from x's exact
/// binary value, which is how `{:.1}` rounds.
fn tenths(x: f64) -> u64 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // x = mantissa * 2^exp exactly.
    let (mantissa, exp) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let n = mantissa as u128 * 10;
    if exp >= 0 {
        // Only from 2^52 s on, far beyond any session; saturate rather than overflow.
        return u64::try_from(n << exp.min(64)).unwrap_or(u64::MAX);
    }
    let shift = exp.unsigned_abs();
    if shift > 64 {
        return 0; // x * 10 < 2^-7: rounds to zero
    }
    let whole = n >> shift;
    let rest = n - (whole << shift);
    let half = 1u128 << (shift - 1);
    let up = rest > half || (rest == half && whole & 1 == 1);
    u64::try_from(whole + up as u128).unwrap_or(u64::MAX)
}

/// A speed as `to_string` writes it (`0.25`, `0.5`, `20`), for the speeds the menu offers:
/// whole numbers and hundredths.
fn speed_text(s: f64) -> String {
    let hundredths = (s * 100.0 + 0.5) as u64;
    let (whole, part) = (hundredths / 100, hundredths % 100);
    match part {
        0 => whole.to_string(),
        p if p % 10 == 0 => format!("{whole}.{}", p / 10),
        p => format!("{whole}.{p:02}"),
    }
}

#[function_component(TimeControls)]
pub fn time_controls(props: &TimeProps) -> Html {
    let lang = props.lang;
    let act = &props.act;
    let rewound = props.now_ms < props.head_ms;
    let on_speed = act.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::SetSpeed(v.parse().unwrap_or(1.0))
    });
    let on_seek = act.reform(|e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::Seek(v.parse::<f64>().map(|f| f.max(0.0) as u64).unwrap_or(0))
    });
    html! {
        <div class="time" role="group" aria-label={T::Time.get(lang)} data-testid="time-controls">
            <button type="button" class="play" onclick={act.reform(|_| Action::TogglePlay)} data-testid="play"
                aria-pressed={props.playing.to_string()}>
                <span aria-hidden="true" class={classes!("play-icon", if props.playing { "is-pause" } else { "is-play" })}></span>
                { if props.playing { T::Pause.get(lang) } else { T::Play.get(lang) } }
            </button>
            <label class="speed">
                <span>{ T::Speed.get(lang) }</span>
                <select onchange={on_speed} data-testid="speed">
                    { for SPEEDS.iter().map(|&s| html! {
                        <option value={speed_text(s)} selected={(s - props.speed).abs() < 1e-9}>{ format!("{}×", speed_text(s)) }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={act.reform(|_| Action::StepNext)} title={T::StepNextTitle.get(lang)} data-testid="step">
                { T::StepNext.get(lang) }<span aria-hidden="true">{ " ›" }</span>
            </button>
            <label class="scrubber">
                <span class="sr-only">{ T::Timeline.get(lang) }</span>
                <input type="range" min="0" max={props.head_ms.max(1).to_string()} step="100"
                    value={props.now_ms.to_string()} oninput={on_seek} data-testid="timeline"
                    title={T::TimelineHelp.get(lang)}
                    aria-valuetext={format!("{} / {}", clock(props.now_ms), clock(props.head_ms))} />
            </label>
            <span class="clock mono" data-testid="clock" aria-live="off">
                { clock(props.now_ms) }
                if rewound { <span class="clock-head">{ format!(" / {}", clock(props.head_ms)) }</span> }
            </span>
            <span class={classes!("activity", if props.quiet { "is-quiet" } else { "is-busy" })}>
                { if props.quiet { T::Quiet.get(lang) } else { T::Busy.get(lang) } }
            </span>
            if rewound {
                <div class="rewound" data-testid="rewound">
                    <span>{ T::Rewound.get(lang) }</span>
                    <button type="button" class="small" onclick={act.reform(|_| Action::BackToLive)}>{ T::BackToLive.get(lang) }</button>
                </div>
            }
        </div>
    }
}
