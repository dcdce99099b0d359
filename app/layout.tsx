import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AccountMenu } from "@/components/auth/account-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "pairsift", template: "%s · pairsift" },
  description: "Review LLM-generated text-embedding training data.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
            <Link href="/datasets" className="text-lg font-semibold tracking-tight">
              pair<span className="text-indigo-600">sift</span>
            </Link>
            <Link href="/datasets" className="text-sm text-slate-600 hover:text-slate-900">
              Data sets
            </Link>
            <AccountMenu />
          </nav>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
