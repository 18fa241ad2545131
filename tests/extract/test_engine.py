"""The engine on small announcements in the forms real listings and press releases use."""

from __future__ import annotations

import re
from datetime import date

from cityevents.extract.engine import extract_events, normalise_text
from cityevents.model import AttendanceMode, Status


def one(text: str, **kwargs) -> dict:
    events = extract_events(text, source="doc.txt", **kwargs)
    assert len(events) == 1, [e.name for e in events]
    return events[0].to_dict()


def test_heading_then_place_and_date_bullet() -> None:
    event = one("Baltic Ports Forum\n\n  • Gdańsk (Poland), 3-4 October 2023\n\nThe forum gathers port cities.")
    assert (event["name"], event["start"], event["end"]) == ("Baltic Ports Forum", "2023-10-03", "2023-10-04")
    assert (event["city"], event["country_code"], event["timezone"]) == ("Gdańsk", "PL", "Europe/Warsaw")


def test_name_only_in_description() -> None:
    event = one("\n  • Porto (Portugal), 10-12 October 2023\n\nThe Atlantic Mobility Summit gathers planners.")
    assert event["name"] == "Atlantic Mobility Summit"


def test_bullet_line_with_us_state_and_cross_month_range() -> None:
    event = one("- Oct 30 - Nov 1, 2023: Lone Star Smart Cities Expo, Austin, TX")
    assert (event["name"], event["start"], event["end"]) == ("Lone Star Smart Cities Expo", "2023-10-30", "2023-11-01")
    assert (event["city"], event["country_code"]) == ("Austin", "US")


def test_table_row() -> None:
    event = one("Event | Dates | City | Country\nHarbour Data Summit | 2024-04-09 | Rotterdam | the Netherlands")
    assert (event["name"], event["start"], event["country_code"]) == ("Harbour Data Summit", "2024-04-09", "NL")


def test_press_release_dateline_and_duration() -> None:
    text = (
        "Lyon, March 14, 2024 (PRNewswire) -- The Rhône Urban Tech Summit successfully concluded on March 12th. "
        "The two-day summit gathered over 3,000 delegates."
    )
    event = one(text)
    assert (event["start"], event["end"], event["city"]) == ("2024-03-11", "2024-03-12", "Lyon")
    assert event["figures"][0]["value"] == 3000 and event["figures"][0]["qualifier"] == "over"


def test_stated_dates_beat_prose_length() -> None:
    text = "Harbour Expo\n\n  • Busan (South Korea), 12-14 October 2023\n\nHarbour Expo is a 2-day conference."
    event = one(text)
    assert (event["start"], event["end"]) == ("2023-10-12", "2023-10-14")


def test_section_heading_gives_year() -> None:
    text = "Events in 2025\n\nDelta Water Days\n  • Rotterdam (Netherlands), 13-15 May\n"
    assert one(text)["start"] == "2025-05-13"


def test_distractor_dates_are_not_events() -> None:
    text = (
        "Since 2015 the city has published open data. In 2022 it reached 3 million records. "
        "Registration closes on 1 September 2024. The target is carbon neutrality by 2050."
    )
    assert extract_events(text, source="doc.txt") == []


def test_rescheduled_event_keeps_new_dates() -> None:
    text = (
        "Berlin, 20 February 2024 — The Spree Mobility Expo, originally planned for 17-19 October 2023, "
        "will now take place 14-16 May 2024."
    )
    event = one(text)
    assert (event["start"], event["previous_start"], event["status"]) == ("2024-05-14", "2023-10-17", Status.RESCHEDULED.value)


def test_stage_is_part_of_parent() -> None:
    text = "Kyoto, Nov. 08, 2023 (GLOBE NEWSWIRE) -- The 2023 Global Cities Congress · Kyoto Stage concluded on November 2nd."
    event = one(text)
    assert event["part_of"] == "Global Cities Congress"


def test_publication_date_anchors_year_less_dates() -> None:
    text = "The Nordic Heat Forum will take place in Oslo (Norway) on the 8th and 9th of March."
    assert one(text, published=date(2024, 2, 20))["start"] == "2024-03-08"


def test_empty_and_odd_input() -> None:
    assert extract_events("", source="x") == []
    assert extract_events("\x00\x01 ☃ " * 50, source="x") == []


def test_report_dated_relative_to_its_dateline() -> None:
    text = (
        "PORTO, Portugal, Nov. 13, 2023 — The Atlantic Smart Ports Expo closed its doors on Saturday "
        "after three days of exhibitions and talks."
    )
    event = one(text)
    assert (event["start"], event["end"], event["city"]) == ("2023-11-09", "2023-11-11", "Porto")


def test_yesterday_needs_a_verb_of_ending_or_opening() -> None:
    concluded = "GHENT, June 28, 2024 — The Ghent Water Days, which concluded yesterday, drew 900 visitors."
    assert one(concluded)["start"] == "2024-06-27"
    chatter = "GHENT, June 28, 2024 — Today the Ghent Water Forum published its report on floods."
    assert extract_events(chatter, source="doc.txt") == []


def test_digest_with_numbered_place_headings() -> None:
    text = (
        "City Digest #7 — week of 25 September 2023\n\n"
        "1) ROTTERDAM: HARBOUR HEAT WEEK\n"
        "Monday, 9 October 2023 to Friday, 13 October 2023. A week of events on heat pumps and district heating.\n\n"
        "2) LYON: URBAN DATA HACKATHON\n"
        "October 13 through 15, 2023 at Station F. Teams work on open transport data.\n"
    )
    events = [e.to_dict() for e in extract_events(text, source="digest.txt")]
    assert [(e["name"], e["start"], e["end"], e["city"]) for e in events] == [
        ("HARBOUR HEAT WEEK", "2023-10-09", "2023-10-13", "Rotterdam"),
        ("URBAN DATA HACKATHON", "2023-10-13", "2023-10-15", "Lyon"),
    ]


def test_a_range_after_a_place_is_no_dateline() -> None:
    text = "New Year Civic Hackathon\nSantiago, Chile — December 30, 2023 – January 2, 2024\nFour days of coding."
    event = one(text)
    assert (event["start"], event["end"], event["city"]) == ("2023-12-30", "2024-01-02", "Santiago")


def test_labelled_event_page_with_the_name_below_the_date() -> None:
    text = (
        "Date: 4 February 2027\nLocation: Melbourne, Australia\nEvent: Sustainable Precincts Roundtable\n"
        "Organiser: Delta Cities Network\n\nA morning of talks on precinct-scale energy."
    )
    event = one(text)
    assert (event["name"], event["start"], event["city"]) == ("Sustainable Precincts Roundtable", "2027-02-04", "Melbourne")
    assert event["organizers"] == ["Delta Cities Network"]


def test_lead_ins_are_not_part_of_names_and_past_editions_are_not_events() -> None:
    text = (
        "Newsletter, March 2027\n\n"
        "UPDATE: The Green Building Cities Forum, planned for 15-16 April 2027 in Dublin, Ireland, has a new venue.\n\n"
        "Also this spring: the Municipal Innovation Expo in Portland, OR on June 3, 2027.\n\n"
        "Note: our previous edition, held in Bilbao, Spain on 12 May 2026, attracted 300 visitors.\n"
    )
    events = [(e.name, e.start.isoformat(), e.city) for e in extract_events(text, source="news.txt")]
    assert events == [
        ("Green Building Cities Forum", "2027-04-15", "Dublin"),
        ("Municipal Innovation Expo", "2027-06-03", "Portland"),
    ]


def test_a_dateline_may_break_across_lines_but_must_open_the_release() -> None:
    dateline = "Lyon, March\n14, 2024 (PRNewswire) -- The Rhône Tech Summit concluded on March 12th."
    assert one("Headline\n" * 7 + dateline)["start"] == "2024-03-12"
    # Eight lines down it is no dateline, and the year-less date then has no year to take.
    assert extract_events("Headline\n" * 8 + dateline, source="doc.txt") == []


def test_day_first_dotted_date_in_a_table_row() -> None:
    event = one("Event | Dates | City | Country\nHarbour Data Summit | 9.4.2024 | Rotterdam | Netherlands")
    assert (event["start"], event["city"]) == ("2024-04-09", "Rotterdam")


def test_status_and_attendance_words_in_any_case() -> None:
    place_and_date = "\n\n  • Gdańsk (Poland), 3-4 October 2023\n\nThe forum gathers port cities."
    assert one("Baltic Ports Forum – CANCELLED" + place_and_date)["status"] == Status.CANCELLED.value
    hybrid = one("Baltic Ports Forum (Hybrid)" + place_and_date)
    assert hybrid["attendance_mode"] == AttendanceMode.MIXED.value


def test_relative_day_in_capitals() -> None:
    text = "GHENT, June 28, 2024 — The Ghent Water Days, which OPENS TOMORROW, expects 900 visitors."
    assert one(text)["start"] == "2024-06-29"


def test_each_date_of_a_paragraph_is_read_in_its_own_sentence() -> None:
    text = (
        "Registration closes on 1 March 2024. Abstracts are due on 5 March 2024. "
        "The Harbour Data Summit takes place in Rotterdam, the Netherlands on 9-10 April 2024. "
        "Early-bird tickets end on 20 March 2024."
    )
    event = one(text)
    assert (event["name"], event["start"], event["end"], event["city"]) == (
        "Harbour Data Summit", "2024-04-09", "2024-04-10", "Rotterdam",
    )


def test_an_anchor_written_as_a_sentence_is_also_the_description() -> None:
    text = ("Join us in Cape Town on 18 September 2024 for the Africa Smart Cities Innovation Summit, hosted by "
            "the City of Cape Town and GreenCape, with 600 participants from 40 countries.")
    [event] = extract_events(text, source="t")
    assert (event.name, event.city) == ("Africa Smart Cities Innovation Summit", "Cape Town")
    assert event.start == date(2024, 9, 18)
    assert event.organizers == ["City of Cape Town", "GreenCape"]
    assert [(f.label, f.value) for f in event.figures] == [("participants", 600), ("countries", 40)]


def test_a_card_of_date_name_and_place_lines() -> None:
    text = ("Events calendar\n\nFebruary 10-12, 2025\nIntelligent Transport Systems Forum\n"
            "Kuala Lumpur, Malaysia\n\nMarch 6, 2025\nGovTech Day 2025\nVilnius, Lithuania\nA one-day conference.\n")
    events = extract_events(text, source="t")
    assert [(e.name, e.city, e.start) for e in events] == [
        ("Intelligent Transport Systems Forum", "Kuala Lumpur", date(2025, 2, 10)),
        ("GovTech Day 2025", "Vilnius", date(2025, 3, 6)),
    ]
    assert events[1].description == "Vilnius, Lithuania\nA one-day conference."


def test_a_city_state_named_as_a_country_is_the_city() -> None:
    text = "The World Cities Summit 2026 will be held from 2 to 4 June 2026 at the Sands Expo, Singapore."
    [event] = extract_events(text, source="t")
    assert (event.city, event.country_code, event.timezone) == ("Singapore", "SG", "Asia/Singapore")


def test_a_venue_with_a_country_takes_the_city_the_name_starts_with() -> None:
    text = "Save the date: Amsterdam Smart City Week\n7–9 October 2025, Amsterdam RAI, the Netherlands\n"
    [event] = extract_events(text, source="t")
    assert (event.name, event.city, event.country_code) == ("Amsterdam Smart City Week", "Amsterdam", "NL")


def test_an_exclamation_ends_the_sentence_and_a_venue_names_the_city() -> None:
    text = "Mark your calendars! The Smart Mobility Conference returns on Tuesday 3rd and Wednesday 4th June 2025 " \
           "at the ExCeL London."
    [event] = extract_events(text, source="t")
    assert (event.name, event.city, event.start, event.end) == (
        "Smart Mobility Conference", "London", date(2025, 6, 3), date(2025, 6, 4)
    )


def test_a_dateline_with_its_date_in_parentheses_is_the_publication_date() -> None:
    text = ("Tokyo, Japan (3 March 2025) – The organisers of Smart City Week Tokyo have announced that this "
            "year's event will take place from 10 to 12 December 2025 at Tokyo Big Sight.")
    [event] = extract_events(text, source="t")
    assert (event.start, event.end, event.city) == (date(2025, 12, 10), date(2025, 12, 12), "Tokyo")
    assert event.sources[0].published == date(2025, 3, 3)


def test_a_labelled_publication_date_is_no_event_date_and_anchors_a_future_one() -> None:
    text = ("The 2024 edition of the European Week of Regions and Cities will run from 7 to 10 October in "
            "Brussels, Belgium. Published: 12 March 2024.")
    [event] = extract_events(text, source="t")
    assert (event.name, event.start, event.end) == (
        "2024 European Week of Regions and Cities", date(2024, 10, 7), date(2024, 10, 10)
    )
    assert event.city == "Brussels"


def test_a_call_to_action_is_no_part_of_the_name() -> None:
    text = ("Register now for CityNext Summit 2025, happening 18–19 February 2025 in Dubai, United Arab Emirates. "
            "Early-bird registration closes 31 December 2024.")
    [event] = extract_events(text, source="t")
    assert (event.name, event.start, event.city) == ("CityNext Summit 2025", date(2025, 2, 18), "Dubai")


def test_a_paragraph_names_the_event_its_later_sentence_dates() -> None:
    text = ("Posted on 2 September 2025 by the events team\n\nNext month the Smart Mobility Forum comes to "
            "Gothenburg! From 14 to 16 October, experts will meet at the Swedish Exhibition & Congress Centre.")
    [event] = extract_events(text, source="t")
    assert (event.name, event.start, event.end) == ("Smart Mobility Forum", date(2025, 10, 14), date(2025, 10, 16))
    assert (event.city, event.country_code) == ("Gothenburg", "SE")  # "comes to Gothenburg"


def test_a_year_in_the_event_name_dates_a_year_less_range_without_a_publication_date() -> None:
    text = ("The Harbour Cities Innovation Summit Sydney 2025 (18–19 March, ICC Sydney) will bring together "
            "more than 1,200 attendees.")
    [event] = extract_events(text, source="t")
    assert (event.start, event.end, event.city) == (date(2025, 3, 18), date(2025, 3, 19), "Sydney")


def test_a_year_in_the_name_is_not_taken_when_names_state_two_years() -> None:
    text = "After the Data Days 2024 and the Data Week 2025, the network meets on 18–19 March in Oslo, Norway."
    assert extract_events(text, source="t") == []


def test_a_year_opening_the_event_name_dates_a_year_less_range() -> None:
    text = "Upcoming: The 2025 Smart Cities Week takes place 28-30 October in Santa Clara, California."
    [event] = extract_events(text, source="t")
    assert (event.start, event.end, event.city) == (date(2025, 10, 28), date(2025, 10, 30), "Santa Clara")


def test_a_venue_whose_first_two_words_are_a_city_names_that_city() -> None:
    # "San" alone is a town in Mali: the two-word city is tried first.
    text = "Upcoming: The 2026 Urban Air Mobility Forum takes place 4-5 May at the San Diego Convention Center."
    [event] = extract_events(text, source="t")
    assert (event.city, event.country_code, event.start) == ("San Diego", "US", date(2026, 5, 4))


def test_a_venue_after_the_date_names_the_city_and_a_dated_line_is_no_heading() -> None:
    text = (
        "Where to meet us\n\n"
        "Digital Twin Cities Forum — 2–3 July 2026, Messe Berlin\n"
        "Resilient Ports Summit — March 9, 2026 — Rotterdam, Netherlands\n"
    )
    first, second = extract_events(text, source="t")
    assert (first.name, first.city, first.start) == ("Digital Twin Cities Forum", "Berlin", date(2026, 7, 2))
    assert (second.name, second.city, second.start) == ("Resilient Ports Summit", "Rotterdam", date(2026, 3, 9))


def test_a_name_dash_date_dash_place_line_is_no_dateline() -> None:
    [event] = extract_events("Resilient Ports Summit — March 9, 2026 — Rotterdam, Netherlands\n", source="t")
    assert (event.name, event.start, event.city) == ("Resilient Ports Summit", date(2026, 3, 9), "Rotterdam")
    assert event.sources[0].published is None


def test_text_normalisation_keeps_lines_and_makes_every_space_plain() -> None:
    odd_spaces = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
    text = f"Smart\u200bCity{odd_spaces}Expo •\r\nBarcelona\rSpain\ufeff\u2060\u200c\u200d"
    assert normalise_text(text) == "SmartCity" + " " * len(odd_spaces) + "Expo •\nBarcelona\nSpain"


def test_status_words_in_text_with_dotted_capitals_and_long_s() -> None:
    place_and_date = "\n• Izmir (Türkiye), 3-4 May 2027\n"
    assert one("İzmir Smart Ports Forum – POſTPONED" + place_and_date)["status"] == Status.POSTPONED.value
    assert one("İzmir Smart Ports Forum – hybrid" + place_and_date)["attendance_mode"] == AttendanceMode.MIXED.value
