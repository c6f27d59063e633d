//! Helpers shared by the fixture's tests.

use numerai_fixture::{graphql::Answer, Clock, Fault, PayoutShape, ScoreFilter, World};

/// The answer of a healthy server (payouts summed, front-end filter, no fault) at `now`.
pub fn ask(w: &World, c: &Clock, now: u64, body: &[u8]) -> Answer {
	numerai_fixture::graphql::answer(
		w,
		c,
		PayoutShape::Sum,
		ScoreFilter::FrontEnd,
		Fault::None,
		now,
		body,
	)
}
