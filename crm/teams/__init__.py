"""Teams: members, the themes they prioritise, and outreach divided so no mission is briefed twice."""
